import { createTestDatabase, type TestDatabase } from '@flightdeck/test-kit';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '../../src/database/prisma.service.js';

let db: TestDatabase;
let prisma: PrismaService;

// pg's own condition for its deprecation warning (a query sent while another waits on the same
// client), counted rather than warned once per process, so the test sees every occurrence.
const overlaps: string[] = [];
// eslint-disable-next-line @typescript-eslint/unbound-method -- put back as it was, called with its client
const send = pg.Client.prototype.query;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = new PrismaService({ url: db.url, poolMax: 4, mode: 'external' });
  pg.Client.prototype.query = function (this: pg.Client & { _queryQueue: unknown[] }, ...args: unknown[]) {
    if (this._queryQueue.length > 0) overlaps.push(String((args[0] as { text?: string })?.text ?? args[0]));
    return (send as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof send;
});

afterEach(() => {
  overlaps.length = 0;
});

afterAll(async () => {
  pg.Client.prototype.query = send;
  await prisma?.$disconnect();
  await db?.drop();
});

describe('queries inside a transaction', () => {
  it('go to the connection one at a time, also when Prisma loads sibling relations', async () => {
    const user = await prisma.user.create({
      data: { email: `serial-${Date.now()}@flightdeck.test`, name: 'Serial' },
    });
    const loaded = await prisma.$transaction(async (tx) => {
      // Two relations of one row: Prisma's interpreter fetches them with Promise.all.
      const withRelations = await tx.user.findUniqueOrThrow({
        where: { id: user.id },
        include: { memberships: true, identities: true, grants: true, sessions: true },
      });
      await tx.user.update({ where: { id: user.id }, data: { name: 'Serial too' } });
      return withRelations;
    });
    expect(loaded).toMatchObject({ id: user.id, memberships: [], identities: [], grants: [], sessions: [] });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe('Serial too');
    expect(overlaps).toEqual([]);
  });

  it('still roll back whole when a queued query fails', async () => {
    const email = `rollback-${Date.now()}@flightdeck.test`;
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.user.create({ data: { email, name: 'Gone' } });
        await tx.user.create({ data: { email, name: 'Duplicate' } });
      }),
    ).rejects.toThrow();
    expect(await prisma.user.findUnique({ where: { email } })).toBeNull();
  });
});
