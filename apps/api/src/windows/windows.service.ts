import { Inject, Injectable } from '@nestjs/common';
import type { DeploymentWindow } from '@flightdeck/contracts';
import { AuditService, type RequestMeta } from '../audit/audit.service.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { NotFoundError, ValidationError } from '../common/errors.js';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import {
  assertValidWindow,
  type FreezeWindow,
  nextWindow,
  openWindow,
  type Span,
} from '../freezes/freeze-windows.js';
import { actorOf, type Principal } from '../identity/principal.js';
import { type DeploymentWindowRow, WindowsRepository } from './windows.repository.js';

export interface CreateWindowInput {
  readonly environment: string;
  readonly name: string;
  readonly cron: string;
  readonly durationMinutes: number;
  readonly timezone: string;
}

export interface OpenWindows {
  readonly windows: Array<{ id: string; name: string; current: Span | null; next: Span | null }>;
}

function recurring(row: { cron: string; durationMinutes: number; timezone: string }): FreezeWindow {
  return { kind: 'recurring', cron: row.cron, durationMinutes: row.durationMinutes, timezone: row.timezone };
}

const iso = (span: Span | null) =>
  span ? { start: span.start.toISOString(), end: span.end.toISOString() } : null;

export function mapDeploymentWindow(row: DeploymentWindowRow, at: Date): DeploymentWindow {
  const window = recurring(row);
  return {
    id: row.id,
    environmentSlug: row.environment.slug,
    name: row.name,
    cron: row.cron,
    durationMinutes: row.durationMinutes,
    timezone: row.timezone,
    current: iso(openWindow(window, at)),
    next: iso(nextWindow(window, at)),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

// The freeze validator names its fields under `window.`; a deployment window's are top-level.
function assertValidSchedule(window: FreezeWindow): void {
  try {
    assertValidWindow(window);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const details = error.details as { issues: Array<{ field: string; message: string }> };
    const issues = details.issues.map((issue) => ({ ...issue, field: issue.field.replace(/^window\./, '') }));
    throw new ValidationError(error.code, error.message.replace(/window\./, ''), { issues });
  }
}

@Injectable()
export class WindowsService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(WindowsRepository) private readonly windows: WindowsRepository,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async list(query: { environment?: string }, at = new Date()): Promise<{ items: DeploymentWindow[] }> {
    const rows = await this.windows.list({ environmentSlug: query.environment });
    return { items: rows.map((row) => mapDeploymentWindow(row, at)) };
  }

  // Every window of one environment with its opening at `at` (null when closed) and the next one.
  // No windows means the environment takes deployments any time.
  async openWindowsFor(environmentId: string, at = new Date(), tx: Tx = this.prisma): Promise<OpenWindows> {
    const rows = await this.windows.list({ environmentId }, tx);
    return {
      windows: rows.map((row) => ({
        id: row.id,
        name: row.name,
        current: openWindow(recurring(row), at),
        next: nextWindow(recurring(row), at),
      })),
    };
  }

  async create(principal: Principal, input: CreateWindowInput, meta: RequestMeta): Promise<DeploymentWindow> {
    const schedule = {
      cron: input.cron.trim(),
      durationMinutes: input.durationMinutes,
      timezone: input.timezone.trim(),
    };
    assertValidSchedule(recurring(schedule));
    const environment = await this.catalog.requireEnvironment(input.environment);
    return this.prisma.$transaction(async (tx) => {
      const row = await this.windows.create(
        { environmentId: environment.id, name: input.name, ...schedule, createdBy: principal.user.email },
        tx,
      );
      const window = mapDeploymentWindow(row, new Date());
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'window.create',
        outcome: 'success',
        target: { type: 'deployment_window', id: row.id },
        request: meta,
        after: window,
      });
      return window;
    });
  }

  async remove(principal: Principal, id: string, meta: RequestMeta): Promise<DeploymentWindow> {
    return this.prisma.$transaction(async (tx) => {
      const row = await this.windows.findById(id, tx);
      if (!row) throw new NotFoundError('WINDOW_NOT_FOUND', `No deployment window with id "${id}"`);
      await this.windows.delete(id, tx);
      const window = mapDeploymentWindow(row, new Date());
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'window.delete',
        outcome: 'success',
        target: { type: 'deployment_window', id },
        request: meta,
        before: window,
      });
      return window;
    });
  }
}
