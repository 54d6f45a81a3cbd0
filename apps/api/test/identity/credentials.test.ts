import { createTestDatabase, type TestDatabase } from '@flightdeck/test-kit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaService } from '../../src/database/prisma.service.js';
import { CredentialsRepository } from '../../src/identity/credentials.repository.js';

let db: TestDatabase;
let prisma: PrismaService;
let credentials: CredentialsRepository;

// Every statement sent to Postgres while counting, to hold authentication to one round trip.
let sent: string[] | null = null;
// eslint-disable-next-line @typescript-eslint/unbound-method -- put back as it was, called with its client
const send = pg.Client.prototype.query;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = new PrismaService({ url: db.url, poolMax: 2, mode: 'external' });
  credentials = new CredentialsRepository(prisma);
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    sent?.push(String((args[0] as { text?: string })?.text ?? args[0]));
    return (send as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof send;
});

afterAll(async () => {
  pg.Client.prototype.query = send;
  await prisma?.$disconnect();
  await db?.drop();
});

async function counted<T>(read: () => Promise<T>): Promise<{ result: T; statements: number }> {
  sent = [];
  try {
    const result = await read();
    return { result, statements: sent.length };
  } finally {
    sent = null;
  }
}

async function userWithTeams(tag: string) {
  const user = await prisma.user.create({
    data: { email: `${tag}-${Date.now()}@flightdeck.test`, name: `User ${tag}`, role: 'deployer' },
  });
  const teams = [];
  for (const slug of ['first', 'second']) {
    teams.push(await prisma.team.create({ data: { slug: `${tag}-${slug}-${Date.now()}`, name: slug } }));
  }
  // Joined in order: first as approver, then second as admin.
  await prisma.teamMembership.create({ data: { teamId: teams[0]!.id, userId: user.id, role: 'approver' } });
  await prisma.teamMembership.create({ data: { teamId: teams[1]!.id, userId: user.id, role: 'admin' } });
  return { user, teams };
}

describe('credentials for authentication', () => {
  it('reads a token, its owner and the owner’s team roles in one statement', async () => {
    const { user, teams } = await userWithTeams('token');
    const expiresAt = new Date(Date.now() + 86_400_000);
    const token = await prisma.apiToken.create({
      data: {
        userId: user.id,
        name: 'ci',
        prefix: 'fdt_abcdef',
        tokenHash: `hash-${user.id}`,
        scopes: ['read', 'deploy'],
        expiresAt,
      },
    });

    const { result, statements } = await counted(() => credentials.findToken(`hash-${user.id}`));
    expect(statements).toBe(1);
    expect(result).toEqual({
      id: token.id,
      scopes: ['read', 'deploy'],
      expiresAt,
      lastUsedAt: null,
      revokedAt: null,
      user: {
        id: user.id,
        email: user.email,
        name: user.name,
        role: 'deployer',
        disabledAt: null,
        memberships: [
          { teamId: teams[0]!.id, role: 'approver' },
          { teamId: teams[1]!.id, role: 'admin' },
        ],
      },
    });
    expect(await credentials.findToken('no such hash')).toBeNull();
  });

  it('reads a session and its user in one statement, with no teams as an empty list', async () => {
    const user = await prisma.user.create({
      data: { email: `session-${Date.now()}@flightdeck.test`, name: 'Session user' },
    });
    const expiresAt = new Date(Date.now() + 3_600_000);
    const session = await prisma.session.create({
      data: { userId: user.id, tokenHash: `session-${user.id}`, csrfToken: 'csrf-value', expiresAt },
    });

    const { result, statements } = await counted(() => credentials.findSession(`session-${user.id}`));
    expect(statements).toBe(1);
    expect(result).toEqual({
      id: session.id,
      csrfToken: 'csrf-value',
      lastSeenAt: session.lastSeenAt,
      expiresAt,
      revokedAt: null,
      user: {
        id: user.id,
        email: user.email,
        name: 'Session user',
        role: 'viewer',
        disabledAt: null,
        memberships: [],
      },
    });
    expect(await credentials.findSession('no such hash')).toBeNull();
  });

  it('sees a revocation, a disabled owner, a new role and a left team on the next read', async () => {
    const { user, teams } = await userWithTeams('changes');
    await prisma.apiToken.create({
      data: {
        userId: user.id,
        name: 'ci',
        prefix: 'fdt_ghijkl',
        tokenHash: `hash-${user.id}`,
        scopes: ['read'],
      },
    });
    expect((await credentials.findToken(`hash-${user.id}`))!.user.role).toBe('deployer');

    await prisma.user.update({ where: { id: user.id }, data: { role: 'approver', disabledAt: new Date() } });
    await prisma.teamMembership.delete({
      where: { teamId_userId: { teamId: teams[1]!.id, userId: user.id } },
    });
    await prisma.apiToken.update({
      where: { tokenHash: `hash-${user.id}` },
      data: { revokedAt: new Date() },
    });

    const after = await credentials.findToken(`hash-${user.id}`);
    expect(after!.revokedAt).toBeInstanceOf(Date);
    expect(after!.user.disabledAt).toBeInstanceOf(Date);
    expect(after!.user.role).toBe('approver');
    expect(after!.user.memberships).toEqual([{ teamId: teams[0]!.id, role: 'approver' }]);
  });
});
