import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { boardSchema, instanceInfoSchema } from '@flightdeck/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { startServer } from '../../src/server.js';
import { HttpClient } from '../support/http-client.js';
import { openEventStream } from '../support/sse.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, memoryLogger } from '../support/test-app.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'flightdeck-embedded-'));

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

async function boot() {
  const logs: string[] = [];
  // No DATABASE_URL: the default a new user gets from the run command.
  const config = loadConfig({
    FLIGHTDECK_DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    FLIGHTDECK_ADMIN_EMAIL: ADMIN_EMAIL,
    FLIGHTDECK_ADMIN_PASSWORD: ADMIN_PASSWORD,
  });
  const server = await startServer(config, memoryLogger(logs));
  const client = new HttpClient(server.url);
  await client.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  const get = async (route: string) => (await client.get(route)).body;
  return { server, logs, get, client };
}

describe('embedded Postgres (no DATABASE_URL)', () => {
  it(
    'starts with demo data, says so in the log, and keeps everything across a restart',
    { timeout: 180_000 },
    async () => {
      const first = await boot();
      const board = boardSchema.parse(await first.get('/api/v1/board'));
      const info = instanceInfoSchema.parse(await first.get('/api/v1/instance'));
      // Live events travel in-process here: the embedded Postgres delivers NOTIFY to no other session.
      const stream = await openEventStream(first.client);
      const stageId = Object.values(board.rows[0]!.cells)[0]!.stageId;
      const locked = await first.client.put(`/api/v1/stages/${stageId}/lock`, {
        reason: 'embedded live test',
      });
      expect(locked.status).toBe(200);
      await stream.next((message) => message.event === 'stage.updated');
      stream.close();
      await first.client.delete(`/api/v1/stages/${stageId}/lock`);

      // The runner works on the embedded database too (one pooled connection, in-process events).
      const cell = Object.values(board.rows[0]!.cells).find((c) => c.current && !c.lock)!;
      const quick = await first.client.patch(`/api/v1/stages/${cell.stageId}`, {
        driver: { kind: 'sandbox', config: { durationSeconds: 1 } },
      });
      expect(quick.status, JSON.stringify(quick.body)).toBe(200);
      const created = await first.client.post<{ id: string; status: string }>('/api/v1/deployments', {
        stageId: cell.stageId,
        releaseId: cell.current!.id,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      let status = created.body.status;
      for (let i = 0; i < 100 && status !== 'succeeded'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        status = ((await first.get(`/api/v1/deployments/${created.body.id}`)) as { status: string }).status;
      }
      expect(status).toBe('succeeded');
      await first.server.close();

      expect(info).toMatchObject({ database: 'embedded', demo: true });
      expect(board.rows).toHaveLength(8);
      expect(first.logs.some((line) => line.includes('database: embedded Postgres (PGlite)'))).toBe(true);
      expect(first.logs.some((line) => line.includes('demo data created'))).toBe(true);

      const second = await boot();
      const again = boardSchema.parse(await second.get('/api/v1/board'));
      await second.server.close();

      expect(second.logs.some((line) => line.includes('database schema is up to date'))).toBe(true);
      expect(second.logs.some((line) => line.includes('demo data already present'))).toBe(true);
      expect(
        again.rows.map((row) => [row.service.id, Object.values(row.cells).map((c) => c.current?.id)]),
      ).toEqual(
        board.rows.map((row) => [row.service.id, Object.values(row.cells).map((c) => c.current?.id)]),
      );
    },
  );
});
