import { Inject, Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '../../database/prisma.service.js';
import type { Prisma } from '../../generated/prisma/client.js';

export interface NewDelivery {
  readonly deliveryId: string;
  readonly event: string;
  readonly action: string | null;
  readonly repoFullName: string | null;
  readonly payload: Prisma.InputJsonValue;
}

export interface ClaimedDelivery {
  readonly id: string;
  readonly deliveryId: string;
  readonly event: string;
  readonly payload: unknown;
  readonly attempts: number;
  readonly receivedAt: Date;
}

// Webhook deliveries: stored once per X-GitHub-Delivery, then claimed by whichever replica is free.
@Injectable()
export class GitHubDeliveriesRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  // False when GitHub sent this delivery before (a redelivery): the unique id keeps one row.
  async insert(delivery: NewDelivery, tx: Tx = this.prisma): Promise<boolean> {
    const rows = await tx.$queryRaw<Array<{ id: string }>>`
      INSERT INTO github_deliveries (id, delivery_id, event, action, repo_full_name, payload)
      VALUES (gen_random_uuid(), ${delivery.deliveryId}, ${delivery.event}, ${delivery.action},
              ${delivery.repoFullName}, ${JSON.stringify(delivery.payload)}::jsonb)
      ON CONFLICT (delivery_id) DO NOTHING
      RETURNING id`;
    return rows.length === 1;
  }

  // Up to `limit` pending deliveries that are due and not leased. SKIP LOCKED lets replicas claim side
  // by side without taking the same row.
  async claim(owner: string, limit: number, leaseMs: number, now = new Date()): Promise<ClaimedDelivery[]> {
    const until = new Date(now.getTime() + leaseMs);
    return this.prisma.$queryRaw<ClaimedDelivery[]>`
      UPDATE github_deliveries SET lease_owner = ${owner}, lease_until = ${until}, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM github_deliveries
        WHERE state = 'pending' AND next_attempt_at <= ${now}
          AND (lease_until IS NULL OR lease_until < ${now})
        ORDER BY received_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id, delivery_id AS "deliveryId", event, payload, attempts, received_at AS "receivedAt"`;
  }

  // Records the outcome, only while this process still holds the lease.
  async finish(
    owner: string,
    id: string,
    result:
      | { state: 'done' | 'ignored' | 'failed'; outcome: string }
      | { state: 'pending'; outcome: string; retryAt: Date },
  ): Promise<void> {
    await this.prisma.gitHubDelivery.updateMany({
      where: { id, leaseOwner: owner },
      data: {
        state: result.state,
        outcome: result.outcome.slice(0, 1000),
        leaseOwner: null,
        leaseUntil: null,
        ...(result.state === 'pending' ? { nextAttemptAt: result.retryAt } : { processedAt: new Date() }),
      },
    });
  }

  // A CI result for a commit arrived: pushes of that commit waiting for green CI are looked at now.
  async wakePushesOf(sha: string): Promise<number> {
    return this.prisma.$executeRaw`
      UPDATE github_deliveries SET next_attempt_at = now()
      WHERE state = 'pending' AND event = 'push' AND payload->>'after' = ${sha}`;
  }

  recentForRepository(fullName: string, take = 10) {
    return this.prisma.gitHubDelivery.findMany({
      where: { repoFullName: { equals: fullName, mode: 'insensitive' } },
      orderBy: { receivedAt: 'desc' },
      take,
      select: { deliveryId: true, event: true, action: true, state: true, outcome: true, receivedAt: true },
    });
  }
}
