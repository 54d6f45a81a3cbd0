import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { SerialTransactionsPg } from './serial-transactions.js';

export interface DatabaseConnection {
  readonly url: string;
  readonly poolMax: number;
  readonly mode: 'embedded' | 'external';
}

export const DATABASE_CONNECTION = Symbol('DATABASE_CONNECTION');
const TRANSACTION_MAX_WAIT_MS = 15_000;

export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(connection: DatabaseConnection) {
    super({
      adapter: new SerialTransactionsPg(
        new PrismaPg({ connectionString: connection.url, max: connection.poolMax }),
      ),
      // A transaction waits for a pooled connection instead of failing after Prisma's default 2 s:
      // the runner may drive more deployments at once than the pool has connections, and a burst of
      // requests should queue briefly rather than answer errors.
      transactionOptions: { maxWait: TRANSACTION_MAX_WAIT_MS },
    });
  }

  // The last hook of a stop (its module is global, and Nest shuts global modules down last): the
  // runner and the schedulers finish their ticks in flight first, and those still need the pool.
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}
