import { Access } from '../identity/access.decorator.js';
import { Controller, Get, Inject } from '@nestjs/common';
import {
  HealthCheck,
  type HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { PrismaService } from '../database/prisma.service.js';
import { Readiness } from './readiness.js';

@Controller('/health')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {}

  // Liveness: the process answers. It never touches the database, so a database outage does not restart pods.
  @Access('public')
  @Get('/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  // Readiness: not shutting down, and the database answers within a second.
  @Access('public')
  @Get('/ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => {
        const indicator = this.indicators.check('process');
        return this.readiness.draining ? indicator.down({ message: 'shutting down' }) : indicator.up();
      },
      async () => {
        const indicator = this.indicators.check('database');
        try {
          await Promise.race([
            this.prisma.$queryRaw`SELECT 1`,
            new Promise((_, reject) =>
              setTimeout(() => reject(new Error('timed out after 1000 ms')), 1000).unref(),
            ),
          ]);
          return indicator.up();
        } catch (error) {
          // Only the error code: driver messages can echo connection details.
          const code = (error as { code?: unknown }).code;
          return indicator.down({
            message: `database did not answer${typeof code === 'string' ? ` (${code})` : ''}`,
          });
        }
      },
    ]);
  }
}
