import type { NextFunction, Request, Response } from 'express';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// One registry per app instance, so several apps in one test process do not collide.
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'flightdeck_' });
    this.httpDuration = new Histogram({
      name: 'flightdeck_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
  }

  // Labels use the matched route pattern, never the raw URL, to keep cardinality bounded.
  httpMiddleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const end = this.httpDuration.startTimer();
      res.on('finish', () => {
        const route = (req.route as { path?: string } | undefined)?.path;
        const label = route
          ? `${req.baseUrl}${route}`
          : req.path.startsWith('/api/')
            ? 'unmatched'
            : 'static';
        end({ method: req.method, route: label, status_code: String(res.statusCode) });
      });
      next();
    };
  }
}
