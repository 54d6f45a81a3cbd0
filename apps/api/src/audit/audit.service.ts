import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import type { Prisma } from '../generated/prisma/client.js';
import { computeAuditHash, GENESIS_HASH } from './audit-hash.js';

// Serialises appends so each event links to the one committed before it.
const AUDIT_CHAIN_LOCK = 4_611_686_018_427_387_201n;

export interface AuditActor {
  readonly type: 'user' | 'token' | 'system' | 'anonymous';
  readonly id: string | null;
  readonly name: string;
}

export interface RequestMeta {
  readonly ip: string | null;
  readonly userAgent: string | null;
}

export interface AuditInput {
  readonly actor: AuditActor;
  // Dotted and stable, e.g. `auth.login`, `user.update`, `stage.lock`, `access.denied`.
  readonly action: string;
  readonly outcome: 'success' | 'denied' | 'failure';
  readonly target?: { readonly type: string; readonly id: string | null } | null;
  readonly reason?: string | null;
  readonly request?: RequestMeta | null;
  readonly before?: unknown;
  readonly after?: unknown;
}

export const SYSTEM_ACTOR: AuditActor = { type: 'system', id: null, name: 'system' };

// Dates and other non-JSON values become what jsonb will hand back, so the hash can be recomputed.
function toJson(value: unknown): Prisma.InputJsonValue | null {
  if (value === undefined || value === null) return null;
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

@Injectable()
export class AuditService {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  // Appends in the caller's transaction: the event exists exactly when the change it records does.
  async record(tx: Tx, input: AuditInput): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`;
    const last = await tx.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { hash: true } });
    const fields = {
      prevHash: last?.hash ?? GENESIS_HASH,
      // Millisecond precision, as the column stores it.
      occurredAt: new Date(Math.floor(Date.now())),
      actorType: input.actor.type,
      actorId: input.actor.id,
      actorName: input.actor.name,
      action: input.action,
      outcome: input.outcome,
      targetType: input.target?.type ?? null,
      targetId: input.target?.id ?? null,
      reason: input.reason ?? null,
      ip: input.request?.ip ?? null,
      userAgent: input.request?.userAgent ?? null,
      before: toJson(input.before),
      after: toJson(input.after),
    };
    await tx.auditEvent.create({
      data: {
        ...fields,
        before: fields.before ?? undefined,
        after: fields.after ?? undefined,
        hash: computeAuditHash(fields),
      },
    });
  }

  // For events with no surrounding change (a failed login, a denied attempt).
  async recordAlone(input: AuditInput): Promise<void> {
    await this.prisma.$transaction((tx) => this.record(tx, input));
  }
}
