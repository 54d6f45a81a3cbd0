import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Role } from '@flightdeck/contracts';
import { createTestDatabase, type TestDatabase } from '@flightdeck/test-kit';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { HttpClient } from './http-client.js';

export const ADMIN_EMAIL = 'admin@flightdeck.test';
export const ADMIN_PASSWORD = 'admin password for tests';
export const USER_PASSWORD = 'user password for tests';

export interface TestApp {
  readonly url: string;
  // Signed in as the first admin; `get` goes through it.
  readonly admin: HttpClient;
  // No credentials at all.
  readonly anonymous: HttpClient;
  // A new user with this global role (and team roles), signed in through the login endpoint.
  userWith(
    role: Role,
    options?: { teams?: Array<{ slug: string; role: Role }>; email?: string },
  ): Promise<HttpClient>;
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
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flightdeck-test-data-'));
  const config = loadConfig({
    DATABASE_URL: db.url,
    FLIGHTDECK_DATA_DIR: dataDir,
    FLIGHTDECK_ADMIN_EMAIL: ADMIN_EMAIL,
    FLIGHTDECK_ADMIN_PASSWORD: ADMIN_PASSWORD,
    HOST: '127.0.0.1',
    PORT: '0',
    FLIGHTDECK_DEMO: 'true',
    FLIGHTDECK_MIGRATE_ON_START: 'false',
    ...options.env,
  });
  const logs: string[] = [];
  const server = await startServer(config, memoryLogger(logs));
  // Behind a configured public URL, browsers send that origin.
  const origin = config.http.publicUrl ?? undefined;
  const admin = new HttpClient(server.url, { origin });
  if (config.auth.firstAdmin) await admin.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  let users = 0;
  return {
    url: server.url,
    server,
    db,
    logs,
    admin,
    anonymous: new HttpClient(server.url),
    async userWith(role, userOptions = {}) {
      const email = userOptions.email ?? `${role}-${++users}-${Date.now()}@flightdeck.test`;
      const created = await admin.post<{ id: string }>('/api/v1/users', {
        email,
        name: `${role} ${users}`,
        role,
        password: USER_PASSWORD,
      });
      if (created.status !== 201)
        throw new Error(`could not create ${email}: ${JSON.stringify(created.body)}`);
      for (const team of userOptions.teams ?? []) {
        const added = await admin.put(`/api/v1/teams/${team.slug}/members/${created.body.id}`, {
          role: team.role,
        });
        if (added.status !== 200)
          throw new Error(`could not add ${email} to ${team.slug}: ${JSON.stringify(added.body)}`);
      }
      const client = new HttpClient(server.url, { origin });
      await client.signIn(email, USER_PASSWORD);
      return client;
    },
    async get<T>(path: string, init?: RequestInit) {
      const cookie = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const response = await fetch(server.url + path, {
        ...init,
        headers: { ...(cookie ? { cookie } : {}), ...(init?.headers as Record<string, string> | undefined) },
      });
      const text = await response.text();
      const isJson = /^application\/json/.test(response.headers.get('content-type') ?? '');
      return {
        status: response.status,
        body: (isJson && text ? JSON.parse(text) : text) as T,
        headers: response.headers,
      };
    },
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (!options.db) await db.drop();
    },
  };
}

// Stage ids by "service/environment", e.g. stageIds["checkout-api/production"].
export async function stageIds(app: TestApp): Promise<Record<string, string>> {
  const { body } = await app.get<{ items: { id: string; serviceSlug: string; environmentSlug: string }[] }>(
    '/api/v1/stages',
  );
  return Object.fromEntries(
    body.items.map((stage) => [`${stage.serviceSlug}/${stage.environmentSlug}`, stage.id]),
  );
}
