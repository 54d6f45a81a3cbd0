import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { DATABASE_CONNECTION, type DatabaseConnection } from '../database/prisma.service.js';

// Runs a periodic job in at most one process at a time, under a session-level Postgres advisory lock
// held on a connection of its own (not one of the pool's, so the job's own transactions are free to
// take every other lock in the usual order). The embedded database serves one process only (its data
// directory is locked), so there an in-process flag is the whole story.
@Injectable()
export class SingleFlight implements OnApplicationShutdown {
  private client: pg.Client | null = null;
  private readonly running = new Set<bigint>();

  constructor(@Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection) {}

  // Returns false without running `job` when another process (or this one) is running it.
  async run(key: bigint, job: () => Promise<void>): Promise<boolean> {
    if (this.running.has(key)) return false;
    this.running.add(key);
    try {
      if (this.connection.mode === 'embedded') {
        await job();
        return true;
      }
      const client = await this.connect();
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
        key.toString(),
      ]);
      if (!rows[0]?.locked) return false;
      try {
        await job();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [key.toString()]).catch(() => this.drop());
      }
      return true;
    } finally {
      this.running.delete(key);
    }
  }

  // With the other shutdown hooks, so a job in flight keeps its lock until its scheduler stopped it.
  async onApplicationShutdown(): Promise<void> {
    await this.drop();
  }

  private async connect(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({ connectionString: this.connection.url });
    // A lost connection releases its locks in Postgres; the next run reconnects.
    client.on('error', () => void this.drop());
    await client.connect();
    this.client = client;
    return client;
  }

  private async drop(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
