import { Inject, Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';

// Leases on deployments: whoever holds an unexpired one drives it; anyone may take an expired one,
// which is how a killed process's work is resumed by another replica or by itself after a restart.
@Injectable()
export class ClaimsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  // Up to `limit` deployments that are due and unclaimed. SKIP LOCKED lets replicas claim side by side
  // without waiting on each other or taking the same row.
  async claim(owner: string, limit: number, leaseMs: number, now = new Date()): Promise<string[]> {
    const until = new Date(now.getTime() + leaseMs);
    const rows = await this.prisma.$queryRaw<Array<{ id: string }>>`
      UPDATE deployments SET lease_owner = ${owner}, lease_expires_at = ${until}
      WHERE id IN (
        SELECT id FROM deployments
        WHERE status IN ('queued', 'running', 'verifying')
          AND (next_run_at IS NULL OR next_run_at <= ${now})
          AND (lease_owner IS NULL OR lease_expires_at IS NULL OR lease_expires_at < ${now})
        ORDER BY next_run_at NULLS FIRST, created_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id`;
    return rows.map((row) => row.id);
  }

  async renew(owner: string, ids: readonly string[], leaseMs: number): Promise<void> {
    if (ids.length === 0) return;
    await this.prisma.deployment.updateMany({
      where: { id: { in: [...ids] }, leaseOwner: owner },
      data: { leaseExpiresAt: new Date(Date.now() + leaseMs) },
    });
  }

  async release(owner: string, id: string): Promise<void> {
    await this.prisma.deployment.updateMany({
      where: { id, leaseOwner: owner },
      data: { leaseOwner: null, leaseExpiresAt: null },
    });
  }

  async releaseAll(owner: string): Promise<void> {
    await this.prisma.deployment.updateMany({
      where: { leaseOwner: owner },
      data: { leaseOwner: null, leaseExpiresAt: null },
    });
  }
}
