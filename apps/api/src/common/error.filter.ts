import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../database/database-unavailable.js';
import { describeError } from './describe-error.js';
import { DomainError, STATUS_BY_KIND, TooManyRequestsError } from './errors.js';

interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'TOO_MANY_REQUESTS',
};

// Every error leaves as `{ code, message, details }`. Unknown errors are answered with a generic 500
// and logged by name, code and message only: stack traces reach neither clients nor logs.
@Catch()
export class GlobalErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const [status, body] = this.toResponse(exception, request);
    // A 500 is a bug and goes to the log at error. A 503 is a deliberate answer (not ready, draining, the
    // database away): readiness says why in its body, and a database outage is a warning per request.
    if (status === 500) {
      this.logger.error(
        { error: describeError(exception), reqId: request.id, url: request.path },
        'unhandled error',
      );
    } else if (body.code === 'DATABASE_UNAVAILABLE') {
      this.logger.warn({ reqId: request.id, url: request.path }, 'database unavailable');
    }
    if (response.headersSent) return;
    response.status(status).json(body);
  }

  private toResponse(exception: unknown, request: Request): [number, ErrorBody] {
    if (exception instanceof DomainError) {
      if (exception instanceof TooManyRequestsError) {
        request.res?.setHeader('retry-after', String(exception.retryAfterSeconds));
      }
      const body: ErrorBody = { code: exception.code, message: exception.message };
      if (exception.details !== undefined) body.details = exception.details;
      return [STATUS_BY_KIND[exception.kind], body];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) {
        return [404, { code: 'ROUTE_NOT_FOUND', message: `No route for ${request.method} ${request.path}` }];
      }
      if (status === 503) {
        // Readiness failures: say which dependency is down, with the health check's own report.
        const report = exception.getResponse() as { error?: Record<string, unknown> };
        const down = Object.keys(report.error ?? {});
        return [
          503,
          {
            code: 'SERVICE_UNAVAILABLE',
            message: down.length ? `Not ready: ${down.join(', ')} down` : 'Service unavailable',
            details: report,
          },
        ];
      }
      if (status < 500) {
        return [status, { code: CODE_BY_STATUS[status] ?? 'HTTP_ERROR', message: this.messageOf(exception) }];
      }
    }
    if (isBodyParserError(exception)) {
      return [exception.status, { code: 'MALFORMED_BODY', message: 'The request body is not valid JSON' }];
    }
    // A database restart or failover is not a bug: say so, and when to try again.
    if (isDatabaseUnavailable(exception)) {
      request.res?.setHeader('retry-after', '5');
      return [
        503,
        { code: 'DATABASE_UNAVAILABLE', message: 'The database is not reachable; try again shortly' },
      ];
    }
    return [HttpStatus.INTERNAL_SERVER_ERROR, { code: 'INTERNAL', message: 'Internal error' }];
  }

  private messageOf(exception: HttpException): string {
    const response = exception.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.join('; ');
    return exception.message;
  }
}

function isBodyParserError(error: unknown): error is { status: number; type: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { type?: unknown }).type === 'entity.parse.failed' &&
    typeof (error as { status?: unknown }).status === 'number'
  );
}
