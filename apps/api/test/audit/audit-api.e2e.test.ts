import { auditEventSchema, auditVerificationSchema, endpoints } from '@flightdeck/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpClient } from '../support/http-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The audit endpoints in the whole app: behind the access guard, over events the real flows wrote.
let app: TestApp;
let approver: HttpClient;
let deployer: HttpClient;

beforeAll(async () => {
  app = await startTestApp();
  approver = await app.userWith('approver');
  deployer = await app.userWith('deployer');
});

afterAll(async () => {
  await app?.close();
});

const paths = ['/api/v1/audit/events', '/api/v1/audit/verify', '/api/v1/audit/export'];

describe('who may read the ledger', () => {
  it.each(paths)('%s refuses anonymous callers', async (path) => {
    expect((await app.anonymous.get(path)).status).toBe(401);
  });

  it.each(paths)('%s refuses a deployer, and the refusal is itself in the ledger', async (path) => {
    const response = await deployer.get<{ code: string }>(path);
    expect(response.status).toBe(403);
    const denied = await approver.get('/api/v1/audit/events?action=access.denied&limit=200');
    const page = endpoints.listAuditEvents.response.parse(denied.body);
    expect(page.items.map((event) => event.target)).toContainEqual({ type: 'route', id: `GET ${path}` });
  });
});

describe('the ledger the app wrote', () => {
  it('lists sign-ins and user changes, newest first, to an approver', async () => {
    const response = await approver.get('/api/v1/audit/events?limit=200');
    expect(response.status).toBe(200);
    const { items } = endpoints.listAuditEvents.response.parse(response.body);
    const actions = new Set(items.map((event) => event.action));
    expect(actions.size).toBeGreaterThan(2);
    expect(items.some((event) => event.actor.type === 'user')).toBe(true);
  });

  it('verifies: every event the real flows appended hashes and links', async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await approver.get(
        `/api/v1/audit/events?limit=50${cursor ? `&cursor=${cursor}` : ''}`,
      );
      const page = endpoints.listAuditEvents.response.parse(response.body);
      all.push(...page.items.map((event) => event.id));
      cursor = page.nextCursor;
    } while (cursor);
    const response = await approver.get('/api/v1/audit/verify');
    expect(response.status).toBe(200);
    const result = auditVerificationSchema.parse(response.body);
    expect(result).toMatchObject({ ok: true, firstBroken: null });
    // Reading appends nothing, so the count is what the list walked (allowing for refusals logged since).
    expect(result.checked).toBeGreaterThanOrEqual(all.length);
    expect(new Set(all).size).toBe(all.length);
  });

  it('exports to a read-scoped API token, as a SIEM collector would use it', async () => {
    const created = await approver.post<{ token: string }>('/api/v1/me/tokens', {
      name: 'siem',
      scopes: ['read'],
      expiresInDays: 30,
    });
    expect(created.status).toBe(201);
    const response = await fetch(`${app.url}/api/v1/audit/export?outcome=success`, {
      headers: { authorization: `Bearer ${created.body.token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const lines = (await response.text()).trimEnd().split('\n');
    const events = lines.map((line) => auditEventSchema.parse(JSON.parse(line)));
    expect(events.length).toBeGreaterThan(2);
    expect(events.every((event) => event.outcome === 'success')).toBe(true);
    const ids = events.map((event) => BigInt(event.id));
    ids.slice(1).forEach((id, i) => expect(id).toBeGreaterThan(ids[i]!));
    // The token's own creation is there, and nothing in the file carries its secret.
    expect(lines.join('\n')).not.toContain(created.body.token);
  });
});
