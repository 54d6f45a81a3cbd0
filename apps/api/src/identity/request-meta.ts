import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { RequestMeta } from '../audit/audit.service.js';
import type { Principal } from './principal.js';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal | null;
  }
}

// Client address (honouring X-Forwarded-For only when FLIGHTDECK_TRUST_PROXY is on) and user agent.
export function requestMeta(req: Request): RequestMeta {
  const userAgent = req.headers['user-agent'];
  return {
    ip: req.ip ?? req.socket.remoteAddress ?? null,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 500) : null,
  };
}

export const Meta = createParamDecorator((_: unknown, context: ExecutionContext): RequestMeta =>
  requestMeta(context.switchToHttp().getRequest<Request>()),
);

// The principal the access guard resolved; null on public routes without credentials.
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal | null =>
    context.switchToHttp().getRequest<Request>().principal ?? null,
);
