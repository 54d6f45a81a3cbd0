import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { canonicalJson } from '../audit/audit-hash.js';
import { UnprocessableError, ValidationError } from '../common/errors.js';
import { PrismaService, type Tx } from '../database/prisma.service.js';
import type { Prisma } from '../generated/prisma/client.js';

// How long a key is remembered; a retry after that is a new request.
export const IDEMPOTENCY_TTL_HOURS = 24;
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

export interface IdempotentResult<T> {
  readonly status: number;
  readonly body: T;
  // True when this answer is the stored one from an earlier request with the same key.
  readonly replayed: boolean;
}

// Sends a create's answer: its status, and a header saying when it is the stored one of a retry.
export function sendIdempotent<T>(
  res: { status(code: number): unknown; setHeader(name: string, value: string): unknown },
  result: IdempotentResult<T>,
): T {
  res.status(result.status);
  if (result.replayed) res.setHeader('idempotent-replayed', 'true');
  return result.body;
}

export function parseIdempotencyKey(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !KEY_PATTERN.test(value)) {
    throw new ValidationError(
      'INVALID_IDEMPOTENCY_KEY',
      'Idempotency-Key must be 1 to 200 visible ASCII characters',
      {
        issues: [{ field: 'Idempotency-Key', message: 'must be 1 to 200 visible ASCII characters' }],
      },
    );
  }
  return value;
}

// Runs a create inside one transaction with its idempotency record: same-key requests are serialised
// by an advisory lock on the key, so a concurrent retry waits and then gets the stored answer. A failed
// create rolls back with its key, so a retry runs again.
@Injectable()
export class IdempotencyService {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  async run<T>(
    scope: { principalId: string; endpoint: string; key: string | null; request: unknown },
    create: (tx: Tx) => Promise<{ status: number; body: T }>,
  ): Promise<IdempotentResult<T>> {
    const { key } = scope;
    if (key === null) {
      const result = await this.prisma.$transaction((tx) => create(tx), { timeout: 30_000 });
      return { ...result, replayed: false };
    }
    const requestHash = createHash('sha256').update(canonicalJson(scope.request)).digest('hex');
    const id = { principalId: scope.principalId, endpoint: scope.endpoint, key };
    return this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`idempotency:${id.principalId}:${id.endpoint}:${key}`}, 0))`;
        const earlier = await tx.idempotencyKey.findUnique({ where: { principalId_endpoint_key: id } });
        const fresh =
          earlier && earlier.createdAt.getTime() > Date.now() - IDEMPOTENCY_TTL_HOURS * 3_600_000
            ? earlier
            : null;
        if (fresh) {
          if (fresh.requestHash !== requestHash) {
            throw new UnprocessableError(
              'IDEMPOTENCY_KEY_REUSED',
              'This Idempotency-Key was used for a different request; use a new key for a new request',
            );
          }
          return { status: fresh.status, body: fresh.responseBody as T, replayed: true };
        }
        const result = await create(tx);
        const record = {
          requestHash,
          status: result.status,
          responseBody: result.body as Prisma.InputJsonValue,
          createdAt: new Date(),
        };
        await tx.idempotencyKey.upsert({
          where: { principalId_endpoint_key: id },
          create: { ...id, ...record },
          update: record,
        });
        // Old keys go as new ones arrive: no separate job to schedule.
        await tx.idempotencyKey.deleteMany({
          where: { createdAt: { lt: new Date(Date.now() - IDEMPOTENCY_TTL_HOURS * 3_600_000) } },
        });
        return { ...result, replayed: false };
      },
      { timeout: 30_000, maxWait: 30_000 },
    );
  }
}
