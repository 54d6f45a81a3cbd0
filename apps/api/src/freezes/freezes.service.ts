import { Inject, Injectable } from '@nestjs/common';
import type { Freeze } from '@flightdeck/contracts';
import { AuditService, type RequestMeta } from '../audit/audit.service.js';
import { CatalogService } from '../catalog/catalog.service.js';
import { NotFoundError } from '../common/errors.js';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import type { Prisma } from '../generated/prisma/client.js';
import { actorOf, type Principal } from '../identity/principal.js';
import { assertValidWindow, type FreezeWindow, nextWindow, openWindow } from './freeze-windows.js';

const freezeInclude = {
  environment: { select: { slug: true } },
  service: { select: { slug: true } },
} satisfies Prisma.FreezeInclude;

export type FreezeRow = Prisma.FreezeGetPayload<{ include: typeof freezeInclude }>;

export function windowOf(row: FreezeRow): FreezeWindow {
  return row.cron && row.durationMinutes && row.timezone
    ? { kind: 'recurring', cron: row.cron, durationMinutes: row.durationMinutes, timezone: row.timezone }
    : { kind: 'oneoff', startsAt: row.startsAt!, endsAt: row.endsAt! };
}

export function mapFreeze(row: FreezeRow, at: Date): Freeze {
  const window = windowOf(row);
  const span = (value: { start: Date; end: Date } | null) =>
    value ? { start: value.start.toISOString(), end: value.end.toISOString() } : null;
  return {
    id: row.id,
    scope: row.scope,
    environmentSlug: row.environment?.slug ?? null,
    serviceSlug: row.service?.slug ?? null,
    reason: row.reason,
    window:
      window.kind === 'oneoff'
        ? { kind: 'oneoff', startsAt: window.startsAt.toISOString(), endsAt: window.endsAt.toISOString() }
        : window,
    current: span(openWindow(window, at)),
    next: span(nextWindow(window, at)),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

export interface ActiveFreeze {
  readonly id: string;
  readonly reason: string;
  readonly scope: 'all' | 'environment' | 'service';
  readonly environmentId: string | null;
  readonly serviceId: string | null;
  readonly until: Date;
}

// The freezes over one stage at a given time; the gate evaluator of the deployment engine and the
// board both ask this.
export function freezesOver(
  active: readonly ActiveFreeze[],
  stage: { serviceId: string; environmentId: string },
) {
  return active.filter(
    (freeze) =>
      freeze.scope === 'all' ||
      (freeze.scope === 'environment' && freeze.environmentId === stage.environmentId) ||
      (freeze.scope === 'service' && freeze.serviceId === stage.serviceId),
  );
}

@Injectable()
export class FreezesService {
  constructor(
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(CatalogService) private readonly catalog: CatalogService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async list(query: { active?: 'true' | 'false' }, at = new Date()): Promise<{ items: Freeze[] }> {
    const rows = await this.prisma.freeze.findMany({
      include: freezeInclude,
      orderBy: { createdAt: 'desc' },
    });
    const items = rows.map((row) => mapFreeze(row, at));
    if (query.active === undefined) return { items };
    return { items: items.filter((freeze) => (freeze.current !== null) === (query.active === 'true')) };
  }

  // Every freeze with a window open at `at`, resolved once per request.
  async active(at = new Date(), tx: Tx = this.prisma): Promise<ActiveFreeze[]> {
    const rows = await tx.freeze.findMany({ include: freezeInclude });
    return rows.flatMap((row) => {
      const open = openWindow(windowOf(row), at);
      return open
        ? [
            {
              id: row.id,
              reason: row.reason,
              scope: row.scope,
              environmentId: row.environmentId,
              serviceId: row.serviceId,
              until: open.end,
            },
          ]
        : [];
    });
  }

  async create(
    principal: Principal,
    input: {
      scope: 'all' | 'environment' | 'service';
      environment?: string;
      service?: string;
      reason: string;
      window:
        | { kind: 'oneoff'; startsAt: string; endsAt: string }
        | { kind: 'recurring'; cron: string; durationMinutes: number; timezone: string };
    },
    meta: RequestMeta,
  ): Promise<Freeze> {
    const window: FreezeWindow =
      input.window.kind === 'oneoff'
        ? { kind: 'oneoff', startsAt: new Date(input.window.startsAt), endsAt: new Date(input.window.endsAt) }
        : { ...input.window, cron: input.window.cron.trim() };
    assertValidWindow(window);
    const environment = input.environment ? await this.catalog.requireEnvironment(input.environment) : null;
    const service = input.service ? await this.catalog.requireService(input.service) : null;
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.freeze.create({
        data: {
          scope: input.scope,
          environmentId: environment?.id ?? null,
          serviceId: service?.id ?? null,
          reason: input.reason,
          ...(window.kind === 'oneoff'
            ? { startsAt: window.startsAt, endsAt: window.endsAt }
            : { cron: window.cron, durationMinutes: window.durationMinutes, timezone: window.timezone }),
          createdBy: principal.user.email,
        },
        include: freezeInclude,
      });
      const freeze = mapFreeze(row, new Date());
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'freeze.create',
        outcome: 'success',
        target: { type: 'freeze', id: row.id },
        reason: input.reason,
        request: meta,
        after: freeze,
      });
      return freeze;
    });
  }

  async remove(principal: Principal, id: string, meta: RequestMeta): Promise<Freeze> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.freeze.findUnique({ where: { id }, include: freezeInclude });
      if (!row) throw new NotFoundError('FREEZE_NOT_FOUND', `No freeze with id "${id}"`);
      await tx.freeze.delete({ where: { id } });
      const freeze = mapFreeze(row, new Date());
      await this.audit.record(tx, {
        actor: actorOf(principal),
        action: 'freeze.delete',
        outcome: 'success',
        target: { type: 'freeze', id },
        request: meta,
        before: freeze,
      });
      return freeze;
    });
  }
}
