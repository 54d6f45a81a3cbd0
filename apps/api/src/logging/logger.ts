import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import { type Logger, pino } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import { describeError } from '../common/describe-error.js';

// Headers that carry credentials never reach the log.
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-hub-signature-256"]',
  'res.headers["set-cookie"]',
];

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'flightdeck' }, redact: { paths: REDACT, censor: '[redacted]' } });
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

// OAuth parameters in a query string are credentials (an authorization code can still be redeemed).
const SECRET_QUERY_PARAMS = new Set([
  'code',
  'state',
  'id_token',
  'access_token',
  'refresh_token',
  'session_state',
  'token',
]);

export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const params = new URLSearchParams(url.slice(at + 1));
  let changed = false;
  for (const name of [...params.keys()]) {
    if (SECRET_QUERY_PARAMS.has(name)) {
      params.set(name, '[redacted]');
      changed = true;
    }
  }
  return changed ? `${url.slice(0, at)}?${params.toString()}` : url;
}

export function createHttpLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    // A caller's request id is kept when it looks sane, so traces line up across systems.
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    autoLogging: { ignore: (req) => req.url === '/health/live' || req.url === '/metrics' },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      // pino-http attaches an Error to 5xx lines; keep its message, drop the stack.
      err: describeError,
    },
  });
}

// Routes Nest's own messages into the same structured log.
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}

export const LOGGER = Symbol('LOGGER');
