import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerService } from '@nestjs/common';
import { type Logger, pino } from 'pino';
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

declare module 'node:http' {
  interface IncomingMessage {
    // The request id of the log lines and the x-request-id header (the type pino-http gives it).
    id: number | string | object;
  }
}

// Paths probed every few seconds: their lines would drown the rest.
const QUIET_PATHS = new Set(['/health/live', '/metrics']);

// One line per finished request, at info (2xx/3xx), warn (4xx) or error (5xx). The line is built only
// when its level is logged: at LOG_LEVEL=warn a 200 costs an id, a header and a listener, not a child
// logger with serialised, redacted bindings (pino-http's per-request work).
export function createHttpLogger(base: Logger) {
  // An error's message, never its stack (pino's own serialiser keeps the stack).
  const logger = base.child({}, { serializers: { err: describeError } });
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    // A caller's request id is kept when it looks sane, so traces line up across systems.
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('x-request-id', id);
    const url = req.url ?? '';
    if (QUIET_PATHS.has(url)) {
      next();
      return;
    }
    const method = req.method;
    const started = Date.now();
    const done = (err?: unknown): void => {
      res.removeListener('close', done);
      res.removeListener('finish', done);
      res.removeListener('error', done);
      // 503 is a deliberate "not now" (readiness red, draining, database away): a warning, not a failure.
      const failed = err !== undefined || (res.statusCode >= 500 && res.statusCode !== 503);
      const level = failed ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const line = {
        req: { id, method, url: redactUrl(url) },
        res: { statusCode: res.statusCode },
        responseTime: Date.now() - started,
      };
      if (failed) {
        const error = err ?? new Error(`failed with status code ${res.statusCode}`);
        logger[level]({ ...line, err: error }, 'request errored');
      } else {
        logger[level](line, 'request completed');
      }
    };
    res.on('close', done);
    res.on('finish', done);
    res.on('error', done);
    next();
  };
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
