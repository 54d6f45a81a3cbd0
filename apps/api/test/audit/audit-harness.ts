import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Global, type INestApplication, Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createTestDatabase, type TestDatabase } from '@flightdeck/test-kit';
import pg from 'pg';
import { AuditExporter } from '../../src/audit/audit-export.js';
import { AuditVerifier } from '../../src/audit/audit-verifier.js';
import { AuditModule } from '../../src/audit/audit.module.js';
import { AuditRepository } from '../../src/audit/audit.repository.js';
import { AuditService, type AuditInput } from '../../src/audit/audit.service.js';
import { GlobalErrorFilter } from '../../src/common/error.filter.js';
import { PrismaService } from '../../src/database/prisma.service.js';
import { memoryLogger } from '../support/test-app.js';

// The audit module alone over real HTTP and a real database: its routes, validation and error filter,
// without the sign-in the whole app requires (access is the identity module's concern, tested there).
@Global()
@Module({})
class TestDatabaseModule {
  static forUrl(url: string): DynamicModule {
    return {
      module: TestDatabaseModule,
      providers: [
        {
          provide: PrismaService,
          useFactory: () => new PrismaService({ url, poolMax: 30, mode: 'external' }),
        },
      ],
      exports: [PrismaService],
    };
  }
}

export interface AuditHarness {
  readonly url: string;
  readonly db: TestDatabase;
  // A plain client as the superuser the tests connect with, for SQL the app would never run.
  readonly sql: pg.Client;
  readonly app: INestApplication;
  readonly prisma: PrismaService;
  readonly audit: AuditService;
  readonly verifier: AuditVerifier;
  readonly exporter: AuditExporter;
  readonly repository: AuditRepository;
  readonly logs: string[];
  get<T = unknown>(path: string, init?: RequestInit): Promise<{ status: number; body: T; headers: Headers }>;
  // One event in its own transaction, as a caller's change would append it.
  record(input: AuditInput): Promise<void>;
  close(): Promise<void>;
}

export async function startAuditHarness(): Promise<AuditHarness> {
  const db = await createTestDatabase();
  const logs: string[] = [];
  const logger = memoryLogger(logs);
  const app = await NestFactory.create(
    { module: class AuditHarnessModule {}, imports: [TestDatabaseModule.forUrl(db.url), AuditModule] },
    { logger: false },
  );
  app.useGlobalFilters(new GlobalErrorFilter(logger));
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const sql = new pg.Client(db.url);
  await sql.connect();
  const prisma = app.get(PrismaService);
  const audit = app.get(AuditService);
  return {
    url,
    db,
    sql,
    app,
    prisma,
    audit,
    verifier: app.get(AuditVerifier),
    exporter: app.get(AuditExporter),
    repository: app.get(AuditRepository),
    logs,
    async get<T>(path: string, init?: RequestInit) {
      const response = await fetch(url + path, init);
      const text = await response.text();
      const isJson = response.headers.get('content-type')?.includes('application/json') ?? false;
      return {
        status: response.status,
        body: (isJson ? JSON.parse(text) : text) as T,
        headers: response.headers,
      };
    },
    record: (input) => prisma.$transaction((tx) => audit.record(tx, input)),
    async close() {
      await sql.end();
      await app.close();
      await db.drop();
    },
  };
}

// Runs `change` with the append-only triggers off, as an attacker with table-owner rights could.
export async function withTriggersDisabled<T>(sql: pg.Client, change: () => Promise<T>): Promise<T> {
  await sql.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
  try {
    return await change();
  } finally {
    await sql.query('ALTER TABLE audit_events ENABLE TRIGGER USER');
  }
}

export function userActor(name: string, id: string | null = null): AuditInput['actor'] {
  return { type: 'user', id, name };
}
