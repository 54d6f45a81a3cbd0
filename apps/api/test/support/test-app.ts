import { Writable } from 'node:stream';
import { createTestDatabase, type TestDatabase } from '@flightdeck/test-kit';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/config.js';
import { startServer, type RunningServer } from '../../src/server.js';

export interface TestApp {
  readonly url: string;
  readonly server: RunningServer;
  readonly db: TestDatabase;
  // Every line the app logged, for assertions about what logs must never contain.
  readonly logs: string[];
  get<T = unknown>(path: string, init?: RequestInit): Promise<{ status: number; body: T; headers: Headers }>;
  close(): Promise<void>;
}

export function memoryLogger(lines: string[]) {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return pino({ level: 'debug' }, sink);
}

// The whole app on a throwaway database, over real HTTP on loopback.
export async function startTestApp(
  options: { env?: Record<string, string>; db?: TestDatabase } = {},
): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const config = loadConfig({
    DATABASE_URL: db.url,
    HOST: '127.0.0.1',
    PORT: '0',
    FLIGHTDECK_DEMO: 'true',
    FLIGHTDECK_MIGRATE_ON_START: 'false',
    ...options.env,
  });
  const logs: string[] = [];
  const server = await startServer(config, memoryLogger(logs));
  return {
    url: server.url,
    server,
    db,
    logs,
    async get<T>(path: string, init?: RequestInit) {
      const response = await fetch(server.url + path, init);
      const text = await response.text();
      const isJson = response.headers.get('content-type')?.includes('json') ?? false;
      return {
        status: response.status,
        body: (isJson && text ? JSON.parse(text) : text) as T,
        headers: response.headers,
      };
    },
    async close() {
      await server.close();
      if (!options.db) await db.drop();
    },
  };
}
