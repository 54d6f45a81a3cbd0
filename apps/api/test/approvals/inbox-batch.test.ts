import { AsyncLocalStorage } from 'node:async_hooks';
import type { Deployment, Gate } from '@flightdeck/contracts';
import { type FakeGitHub, startFakeGitHub } from '@flightdeck/test-kit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApprovalsService } from '../../src/approvals/approvals.service.js';
import { PrismaService } from '../../src/database/prisma.service.js';
import { GateFacts } from '../../src/deployments/gate-facts.js';
import type { Principal } from '../../src/identity/principal.js';
import { gitHubEnv, serviceOnRepo } from '../github/support.js';
import { setSandbox } from '../support/deployments.js';
import { sql } from '../support/sql.js';
import { ADMIN_EMAIL, stageIds, startTestApp, type TestApp } from '../support/test-app.js';

// The inbox reads everything for all rows at once; these tests hold it to what one deployment's own
// read says, and to a number of queries that does not grow with the rows.

let app: TestApp;
let gh: FakeGitHub;
let stageOf: Record<string, string> = {};
const people: Record<string, string> = {};
const pendingIds: string[] = [];
let requesterClient: Awaited<ReturnType<TestApp['userWith']>>;

// Every query a pg client sends while `counted` runs (and only those: the context follows the call).
const counter = new AsyncLocalStorage<{ queries: number }>();
const sendQuery = Reflect.get(pg.Client.prototype, 'query') as (...args: unknown[]) => unknown;
Reflect.set(pg.Client.prototype, 'query', function (this: pg.Client, ...args: unknown[]) {
  const store = counter.getStore();
  if (store) store.queries += 1;
  return sendQuery.apply(this, args);
});

async function counted<T>(work: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const store = { queries: 0 };
  const result = await counter.run(store, work);
  return { result, queries: store.queries };
}

// The inbox's queries under `all`, whatever the number of rows: the waiting and the decided rows with
// their releases and stages as the gates read them (9 each, one per relation), the policies, the
// decisions, the open freezes (3), every gate fact (1), the reader's teams and the grants. One more
// means something is read per row, or per relation that could join.
const INBOX_QUERIES = 26;
const HOUR = 3_600_000;
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

async function principalOf(email: string): Promise<Principal> {
  const [user] = await sql(
    app.db.url,
    'SELECT id, email, name, role::text AS role FROM users WHERE email = $1',
    [email],
  );
  const memberships = await sql(
    app.db.url,
    'SELECT team_id, role::text AS role FROM team_memberships WHERE user_id = $1',
    [user!.id],
  );
  return {
    via: 'session',
    user: {
      id: user!.id as string,
      email: user!.email as string,
      name: user!.name as string,
      role: user!.role as Principal['user']['role'],
    },
    memberships: memberships.map((row) => ({
      teamId: row.team_id as string,
      role: row.role as Principal['user']['role'],
    })),
    scopes: null,
    sessionId: null,
    tokenId: null,
  };
}

async function person(key: string, role: 'approver' | 'viewer', teams: string[] = []) {
  const email = `${key}-${Date.now()}@flightdeck.test`;
  people[key] = email;
  return app.userWith(role, { email, teams: teams.map((slug) => ({ slug, role: 'approver' as const })) });
}

async function ok(response: Promise<{ status: number; body: unknown }>, status = 200) {
  const answer = await response;
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  return answer.body;
}

// A redeploy of what runs on the stage, requested through the API.
async function request(key: string): Promise<Deployment> {
  await app.admin.delete(`/api/v1/stages/${stageOf[key]}/lock`);
  const [state] = await sql(app.db.url, 'SELECT current_release_id FROM stage_states WHERE stage_id = $1', [
    stageOf[key],
  ]);
  const created = (await ok(
    requesterClient.post<Deployment>('/api/v1/deployments', {
      stageId: stageOf[key],
      releaseId: state!.current_release_id,
      reason: 'inbox batch',
    }),
    201,
  )) as Deployment;
  expect(created.status).toBe('pending');
  pendingIds.push(created.id);
  return created;
}

// More waiting deployments, written directly: a copy of one on the same stage for another release of
// its service (the newest ones have not run upstream, so they bring upstream and soak facts along).
async function copies(of: string, count: number): Promise<void> {
  const rows = await sql(
    app.db.url,
    `INSERT INTO deployments (id, stage_id, release_id, kind, status, requested_by, reason, created_at,
       updated_at, expires_at)
     SELECT gen_random_uuid(), d.stage_id, r.id, 'promote', 'pending', d.requested_by, 'copy',
            now() + (n || ' milliseconds')::interval, now(), d.expires_at
       FROM deployments d
       JOIN stages s ON s.id = d.stage_id
       CROSS JOIN LATERAL generate_series(1, $2::int) AS n
       JOIN LATERAL (SELECT id FROM releases WHERE service_id = s.service_id
                      ORDER BY created_at DESC OFFSET (n - 1) % 5 LIMIT 1) r ON true
      WHERE d.id = $1
     RETURNING id`,
    [of, count],
  );
  pendingIds.push(...rows.map((row) => row.id as string));
}

beforeAll(async () => {
  gh = await startFakeGitHub();
  // No runner: nothing moves while the two reads are compared, and nothing else queries.
  app = await startTestApp({ env: { ...gitHubEnv(gh), FLIGHTDECK_RUNNER: 'false' } });
  stageOf = await stageIds(app);
  await setSandbox(app, Object.values(stageOf));
  people['requester'] = `requester-${Date.now()}@flightdeck.test`;
  requesterClient = await app.userWith('approver', { email: people['requester'] });
  const commerce = await person('commerce', 'approver', ['commerce']);
  const payments = await person('payments', 'approver', ['payments']);
  const anyone = await person('anyone', 'approver');
  await person('viewer', 'viewer');

  // Policies: N of M from distinct teams with expiry in production, a stage's own with a wait timer,
  // one with no approvals (left out of the inbox), one with deny and allow windows.
  await ok(
    app.admin.put('/api/v1/environments/production/policy', {
      requiredApprovals: 2,
      approvers: { teams: ['commerce', 'payments'] },
      distinctTeams: true,
      expiryMinutes: 60,
    }),
  );
  await ok(
    app.admin.put(`/api/v1/stages/${stageOf['checkout-api/staging']}/policy`, {
      requiredApprovals: 1,
      waitMinutes: 30,
      approvers: { roles: ['approver'] },
    }),
  );
  await ok(
    app.admin.put(`/api/v1/stages/${stageOf['payments-service/staging']}/policy`, {
      requiredApprovals: 0,
      waitMinutes: 10,
    }),
  );
  await ok(app.admin.put(`/api/v1/stages/${stageOf['web-storefront/dev']}/policy`, { requiredApprovals: 1 }));

  const checkout = await request('checkout-api/production');
  const paymentsProd = await request('payments-service/production');
  const storefront = await request('web-storefront/production');
  const search = await request('catalog-search/production');
  const identity = await request('identity-gateway/production');
  const staging = await request('checkout-api/staging');
  await request('payments-service/staging');
  await request('web-storefront/dev');
  await copies(storefront.id, 2);
  await copies(search.id, 1);

  // Decisions: one counted, one expired, one for another release, one rejection (a decided row).
  await ok(commerce.post(`/api/v1/deployments/${checkout.id}/approve`, { comment: 'fine' }));
  await ok(payments.post(`/api/v1/deployments/${paymentsProd.id}/approve`, { comment: 'fine' }));
  await sql(
    app.db.url,
    `UPDATE approvals SET created_at = now() - interval '2 hours' WHERE deployment_id = $1`,
    [paymentsProd.id],
  );
  await ok(commerce.post(`/api/v1/deployments/${storefront.id}/approve`, { comment: 'fine' }));
  await sql(
    app.db.url,
    `UPDATE approvals SET release_id = r.id, commit_sha = r.commit_sha
       FROM releases r, deployments d
      WHERE approvals.deployment_id = $1 AND d.id = $1 AND r.id <> d.release_id
        AND r.service_id = (SELECT service_id FROM releases WHERE id = d.release_id)
        AND r.id = (SELECT id FROM releases x WHERE x.service_id = r.service_id AND x.id <> d.release_id
                    ORDER BY x.created_at LIMIT 1)`,
    [storefront.id],
  );
  await ok(anyone.post(`/api/v1/deployments/${staging.id}/approve`, { comment: 'fine' }));
  await ok(payments.post(`/api/v1/deployments/${identity.id}/reject`, { comment: 'not today' }));

  // What stands in the way: a lock, a freeze, a deployment window, an incident freezing production,
  // a hold, a quarantine, policy windows, required CI checks (failing, not fetched, no repository),
  // a checklist, and a grant narrowing who may approve in production.
  await ok(
    app.admin.put(`/api/v1/stages/${stageOf['catalog-search/production']}/lock`, { reason: 'db move' }),
  );
  await ok(
    app.admin.post('/api/v1/freezes', {
      scope: 'service',
      service: 'payments-service',
      reason: 'quarter end',
      window: { kind: 'oneoff', startsAt: iso(-HOUR), endsAt: iso(48 * HOUR) },
    }),
    201,
  );
  await ok(
    app.admin.post('/api/v1/windows', {
      environment: 'production',
      name: 'Office hours',
      cron: '0 9 * * 1-5',
      durationMinutes: 8 * 60,
      timezone: 'Europe/Berlin',
    }),
    201,
  );
  await ok(
    app.admin.post('/api/v1/incidents', {
      title: 'Checkout is slow',
      severity: 'P1',
      stageIds: [stageOf['web-storefront/staging']],
    }),
    201,
  );
  await sql(
    app.db.url,
    `UPDATE stage_states SET hold_release_id = d.release_id, hold_reason = 'rolled back'
       FROM deployments d WHERE d.id = (SELECT id FROM deployments WHERE reason = 'copy'
                                        AND stage_id = $1 ORDER BY created_at LIMIT 1)
        AND stage_states.stage_id = $1`,
    [stageOf['web-storefront/production']],
  );
  await sql(
    app.db.url,
    `UPDATE releases SET quarantined_by = 'sre@flightdeck.test', quarantine_reason = 'leaks memory',
       quarantined_at = now() WHERE id = (SELECT release_id FROM deployments WHERE reason = 'copy'
                                          AND stage_id = $1 ORDER BY created_at DESC LIMIT 1)`,
    [stageOf['web-storefront/production']],
  );
  await ok(
    app.admin.put(`/api/v1/stages/${stageOf['web-storefront/dev']}/policy`, {
      requiredApprovals: 1,
      windows: [
        { kind: 'deny', cron: '0 * * * *', durationMinutes: 59, timeZone: 'UTC', label: 'Busy hour' },
        { kind: 'allow', cron: '0 3 * * *', durationMinutes: 60, timeZone: 'UTC', label: null },
      ],
    }),
  );
  await serviceOnRepo(app, gh, 'checkout-api', {});
  await sql(app.db.url, `UPDATE stages SET required_checks = '{build,test}' WHERE id = ANY($1::uuid[])`, [
    [
      stageOf['checkout-api/production'],
      stageOf['catalog-search/production'],
      stageOf['checkout-api/staging'],
    ],
  ]);
  await sql(
    app.db.url,
    `UPDATE services SET repo_owner = NULL, repo_name = NULL WHERE slug = 'catalog-search'`,
  );
  await sql(
    app.db.url,
    `INSERT INTO github_commit_checks (id, repo_full_name, sha, checks, final, fetched_at)
     SELECT gen_random_uuid(), lower(s.repo_owner || '/' || s.repo_name), r.commit_sha, $2::jsonb, true,
            now() - interval '5 minutes'
       FROM deployments d JOIN releases r ON r.id = d.release_id JOIN services s ON s.id = r.service_id
      WHERE d.id = $1`,
    [
      checkout.id,
      JSON.stringify([
        { name: 'build', source: 'check_run', state: 'success', conclusion: 'success', url: null },
        { name: 'test', source: 'check_run', state: 'failure', conclusion: 'failure', url: null },
      ]),
    ],
  );
  await sql(
    app.db.url,
    `UPDATE stages SET checklist = '[{"id":"a","text":"Tell support"},{"id":"b","text":"Check the dashboards"}]'::jsonb
      WHERE id = $1`,
    [stageOf['checkout-api/staging']],
  );
  await ok(
    app.admin.post('/api/v1/environments/production/grants', { action: 'approve', teamSlug: 'payments' }),
    201,
  );
}, 240_000);

afterAll(async () => {
  Reflect.set(pg.Client.prototype, 'query', sendQuery);
  await app?.close();
  await gh?.close();
});

const service = () => app.server.app.get(ApprovalsService);
const gates = () => app.server.app.get(GateFacts);

describe('the approvals inbox, read in one batch', () => {
  it('gives every waiting deployment the gates its own evaluation gives, over a varied set of them', async () => {
    const prisma = app.server.app.get(PrismaService);
    const rows = await prisma.deployment.findMany({
      where: { id: { in: pendingIds }, status: 'pending' },
      include: { release: true },
      orderBy: { createdAt: 'asc' },
    });
    expect(rows.length).toBeGreaterThanOrEqual(10);
    const stages = await gates().loadStages(rows.map((row) => row.stageId));
    const stage = (id: string) => stages.find((candidate) => candidate.id === id)!;
    const now = new Date();
    const batched = await gates().evaluateMany(
      rows.map((row) => ({
        stage: stage(row.stageId),
        candidate: row.release,
        self: row.id,
        action: row.kind,
      })),
      { now },
    );
    const single: Gate[][] = [];
    for (const row of rows) {
      single.push(
        await gates().evaluate(stage(row.stageId), row.release, { self: row.id, action: row.kind, now }),
      );
    }
    expect(batched).toEqual(single);

    // The set is varied: each of these stands in the way of at least one deployment.
    const seen = new Set(single.flat().map((gate) => `${gate.kind}:${gate.state}`));
    for (const expected of [
      'lock:fail',
      'freeze:fail',
      'incident:fail',
      'hold:fail',
      'quarantine:fail',
      'checks:fail',
      'checks:waiting',
      'checklist:waiting',
      'approvals:waiting',
      'soak:waiting',
    ]) {
      expect(seen, expected).toContain(expected);
    }
    expect(single.flat().map((gate) => gate.kind)).toEqual(expect.arrayContaining(['window', 'upstream']));
  });

  it("shows each row exactly as the deployment's own approval read does, for every reader and scope", async () => {
    const readers = [ADMIN_EMAIL, ...Object.values(people)];
    const now = new Date();
    const notCounted = new Set<string | null>();
    const whyNot = new Set<string | null>();
    for (const email of readers) {
      const principal = await principalOf(email);
      const all = (await service().inbox(principal, 'all', now)).items;
      for (const item of all) {
        expect(item, `${email} ${item.deployment.id}`).toEqual(
          await service().get(principal, item.deployment.id, now),
        );
        // A deployment as every list shows it: the release by id, version and commit only.
        expect(Object.keys(item.deployment.release).sort()).toEqual(['commitSha', 'id', 'version']);
        item.approvals.forEach((approval) => notCounted.add(approval.notCounted));
        whyNot.add(item.whyNot);
      }
      const pending = (await service().inbox(principal, 'pending', now)).items;
      expect(pending).toEqual(all.filter((item) => item.deployment.status === 'pending'));
      const mine = (await service().inbox(principal, 'mine', now)).items;
      expect(mine).toEqual(pending.filter((item) => item.canDecide));
      // The stage without approvals is left out; the rejected one shows under `all` only.
      expect(pending.map((item) => item.deployment.stageId)).not.toContain(
        stageOf['payments-service/staging'],
      );
      expect(all.some((item) => item.deployment.status === 'rejected')).toBe(true);
    }
    expect([...notCounted]).toEqual(expect.arrayContaining([null, 'expired', 'other_release']));
    expect([...whyNot].filter(Boolean).join('\n')).toMatch(/Only granted people and teams may approve/);
    expect([...whyNot].filter(Boolean).join('\n')).toMatch(/You already approved it/);
    expect([...whyNot]).toContain(null);
  }, 240_000);

  it('reads the inbox in the same, fixed number of queries for 10 waiting deployments as for 55', async () => {
    const principal = await principalOf(people['payments']!);
    const before = await counted(() => service().inbox(principal, 'all'));
    const [first] = pendingIds;
    await copies(first!, 45);
    const after = await counted(() => service().inbox(principal, 'all'));
    expect(after.result.items.length).toBe(before.result.items.length + 45);
    expect(before.queries).toBe(INBOX_QUERIES);
    expect(after.queries).toBe(INBOX_QUERIES);
  });
});
