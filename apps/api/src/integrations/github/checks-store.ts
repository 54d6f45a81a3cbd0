import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { PrismaService } from '../../database/prisma.service.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { type CommitCheck, commitCheckSchema, requiredVerdicts } from './checks-gate.js';

// A check as stored: what the gate reads, plus when GitHub last changed it and its GitHub id, so a
// result that arrives late (a webhook redelivered, a poll that read GitHub before a webhook landed)
// never replaces a newer one. The gate's schema strips these two.
export const storedCheckSchema = commitCheckSchema.extend({
  updatedAt: z.string().nullable().optional(),
  externalId: z.number().nullable().optional(),
});
export type StoredCheck = z.infer<typeof storedCheckSchema>;

const keyOf = (check: CommitCheck) => `${check.source}\u0000${check.name}`;
const time = (iso: string | null | undefined) => (iso ? Date.parse(iso) || 0 : 0);

// Whether `incoming` is at least as new as `current` (the same check run or status context).
export function supersedes(incoming: StoredCheck, current: StoredCheck): boolean {
  const a = time(incoming.updatedAt);
  const b = time(current.updatedAt);
  if (a !== b) return a > b;
  const ids = [incoming.externalId ?? 0, current.externalId ?? 0];
  if (ids[0] !== ids[1]) return ids[0]! > ids[1]!;
  // The same run at the same second: a finished answer is newer than an unfinished one.
  return !(incoming.state === 'pending' && current.state !== 'pending');
}

// The stored checks with `incoming` applied: one entry per (source, name), the newest wins.
export function mergeChecks(stored: readonly StoredCheck[], incoming: readonly StoredCheck[]): StoredCheck[] {
  const merged = new Map<string, StoredCheck>();
  for (const check of stored) merged.set(keyOf(check), check);
  for (const check of incoming) {
    const current = merged.get(keyOf(check));
    if (!current || supersedes(check, current)) merged.set(keyOf(check), check);
  }
  return [...merged.values()];
}

export interface ChecksWrite {
  readonly repoFullName: string;
  readonly sha: string;
  readonly checks: readonly StoredCheck[];
  // The required check names of the services built from this repository: all green makes it final.
  readonly required: readonly string[];
  readonly now: Date;
}

// github_commit_checks, written by the poll and by webhooks. Writes of one commit are serialized by a
// transaction-scoped advisory lock, so two writers merge instead of overwriting each other.
@Injectable()
export class CommitChecksStore {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  // Merges the checks into the commit's row; true when a check changed.
  async merge(write: ChecksWrite): Promise<{ changed: boolean; checks: StoredCheck[] }> {
    const { repoFullName, sha, now } = write;
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`github-checks:${repoFullName}@${sha}`}, 0))`;
      const row = await tx.gitHubCommitChecks.findUnique({
        where: { repoFullName_sha: { repoFullName, sha } },
        select: { checks: true },
      });
      const stored = row ? z.array(storedCheckSchema).catch([]).parse(row.checks) : [];
      const checks = mergeChecks(stored, write.checks);
      const changed = !row || JSON.stringify(checks) !== JSON.stringify(stored);
      // Only an all-green answer is final: a failed check may be re-run and pass.
      const final =
        write.required.length > 0 &&
        requiredVerdicts(write.required, checks).every((v) => v.state === 'success');
      const data = { checks: checks as Prisma.InputJsonValue, final, fetchedAt: now };
      await tx.gitHubCommitChecks.upsert({
        where: { repoFullName_sha: { repoFullName, sha } },
        create: { repoFullName, sha, ...data },
        update: data,
      });
      return { changed, checks };
    });
  }
}
