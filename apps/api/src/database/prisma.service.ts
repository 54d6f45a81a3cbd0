import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';

export interface DatabaseConnection {
  readonly url: string;
  readonly poolMax: number;
  readonly mode: 'embedded' | 'external';
}

export const DATABASE_CONNECTION = Symbol('DATABASE_CONNECTION');

export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  constructor(connection: DatabaseConnection) {
    super({ adapter: new PrismaPg({ connectionString: connection.url, max: connection.poolMax }) });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
