import { gunzipSync } from 'node:zlib';
import { type Board, boardSchema } from '@flightdeck/contracts';
import { describe, expect, it } from 'vitest';
import { encodeBoardCursor } from '../../src/board/board-page.js';
import { sql } from '../support/sql.js';
import type { TestApp } from '../support/test-app.js';
import { builds, rawGet, useReplicas } from './board-http.js';

let a: TestApp;
let b: TestApp;
useReplicas((replicas) => ({ a, b } = replicas));

type Page = Board & { nextCursor?: string | null };

async function read(app: TestApp, path: string): Promise<{ page: Page; etag: string }> {
  const response = await app.get<Page>(path);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return { page: boardSchema.parse(response.body), etag: response.headers.get('etag') ?? '' };
}

// Follows nextCursor from the first page to the last, and returns every page.
async function walk(app: TestApp, query: string): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const suffix: string = cursor === null ? '' : `&cursor=${cursor}`;
    const { page } = await read(app, `/api/v1/board?${query}${suffix}`);
    pages.push(page);
    cursor = page.nextCursor ?? null;
  } while (cursor !== null && pages.length < 100);
  return pages;
}

const slugs = (rows: Board['rows']) => rows.map((row) => row.service.slug);

async function stageId(service: string, environment: string): Promise<string> {
  const [row] = await sql(
    a.db.url,
    `SELECT s.id FROM stages s JOIN services sv ON sv.id = s.service_id
     JOIN environments e ON e.id = s.environment_id WHERE sv.slug = $1 AND e.slug = $2`,
    [service, environment],
  );
  return row!['id'] as string;
}

describe('paging the board', () => {
  it('walks every row exactly once, in board order, each page with every environment', async () => {
    const { page: whole } = await read(a, '/api/v1/board');
    expect(whole.rows.length).toBeGreaterThan(6);
    // The whole board keeps its shape: no paging field in it.
    expect(whole).not.toHaveProperty('nextCursor');
    const before = await builds(a);
    for (const limit of [1, 3, whole.rows.length, 500]) {
      const pages = await walk(a, `limit=${limit}`);
      expect(pages.length).toBe(Math.ceil(whole.rows.length / limit));
      expect(pages.flatMap((page) => page.rows)).toEqual(whole.rows);
      for (const page of pages) {
        expect(page.environments).toEqual(whole.environments);
        expect(page.rows.length).toBeLessThanOrEqual(limit);
      }
      expect(pages.at(-1)!.nextCursor).toBeNull();
    }
    // Every page was a slice of the board already built: none was built for them.
    expect(await builds(a)).toBe(before);
  });

  it('pages a filtered board the same way', async () => {
    for (const filter of ['team=commerce', 'team=payments', 'q=s', 'q=e', 'q=nothing-matches']) {
      const { page: whole } = await read(a, `/api/v1/board?${filter}`);
      const pages = await walk(a, `${filter}&limit=2`);
      expect(
        pages.flatMap((page) => page.rows),
        filter,
      ).toEqual(whole.rows);
      expect(pages.length, filter).toBe(Math.max(1, Math.ceil(whole.rows.length / 2)));
      expect(pages.every((page) => page.environments.length === whole.environments.length)).toBe(true);
      expect(pages.at(-1)!.nextCursor).toBeNull();
    }
  });

  it('takes a cursor without a limit as a page of the default size', async () => {
    const { page: first } = await read(a, '/api/v1/board?limit=1');
    const { page: whole } = await read(a, '/api/v1/board');
    const { page: rest } = await read(a, `/api/v1/board?cursor=${first.nextCursor}`);
    expect(slugs(rest.rows)).toEqual(slugs(whole.rows.slice(1)));
    expect(rest.nextCursor).toBeNull();
  });

  it('continues after the cursor by its place in the order, even when its row is no longer there', async () => {
    const { page: whole } = await read(a, '/api/v1/board');
    // A key between rows that no service has: the rows after it in name order.
    const between = encodeBoardCursor({ name: 'J', id: '00000000-0000-4000-8000-000000000000' });
    const { page: after } = await read(a, `/api/v1/board?limit=500&cursor=${between}`);
    expect(slugs(after.rows)).toEqual(slugs(whole.rows.filter((row) => row.service.name > 'J')));
    expect(after.rows.length).toBeGreaterThan(0);
    expect(after.rows.length).toBeLessThan(whole.rows.length);

    // The row a cursor points at is renamed to sort last: the next page still starts where it was.
    const { page: first } = await read(a, '/api/v1/board?limit=2');
    const moved = first.rows[1]!.service;
    expect((await a.admin.patch(`/api/v1/services/${moved.slug}`, { name: 'Zz moved' })).status).toBe(200);
    try {
      const { page: next } = await read(b, `/api/v1/board?limit=2&cursor=${first.nextCursor}`);
      expect(slugs(next.rows)).toEqual(slugs(whole.rows.slice(2, 4)));
    } finally {
      await a.admin.patch(`/api/v1/services/${moved.slug}`, { name: moved.name });
    }
  });
});

describe('bad paging parameters', () => {
  it('answers 400 naming the cursor for a malformed or foreign one', async () => {
    const foreign = [
      'not a cursor',
      '!!!!',
      Buffer.from('board:').toString('base64url'),
      Buffer.from('board:12345678-1234-1234-1234-123456789012').toString('base64url'),
      Buffer.from('board:not-a-uuid-not-a-uuid-not-a-uuid-xx:Name').toString('base64url'),
      // A services-list cursor and an audit cursor: valid elsewhere, not here.
      Buffer.from(`${new Date().toISOString()}|12345678-1234-4234-8234-123456789012`).toString('base64url'),
      Buffer.from('audit:42').toString('base64url'),
      // A board cursor with characters outside base64url in it.
      `${encodeBoardCursor({ name: 'x', id: '12345678-1234-4234-8234-123456789012' })}*`,
      'x'.repeat(1001),
    ];
    for (const cursor of foreign) {
      const response = await a.get<{ code: string; details: { issues: { field: string }[] } }>(
        `/api/v1/board?limit=5&cursor=${encodeURIComponent(cursor)}`,
      );
      expect(response.status, cursor).toBe(400);
      expect(response.body.code).toBe('INVALID_QUERY');
      expect(response.body.details.issues.map((issue) => issue.field)).toEqual(['cursor']);
    }
  });

  it('answers 400 naming the limit outside 1 to 500', async () => {
    for (const limit of ['0', '501', '-1', '1.5', 'ten', '']) {
      const response = await a.get<{ code: string; details: { issues: { field: string }[] } }>(
        `/api/v1/board?q=checkout&limit=${limit}`,
      );
      expect(response.status, limit).toBe(400);
      expect(response.body.code).toBe('INVALID_QUERY');
      expect(response.body.details.issues.map((issue) => issue.field)).toEqual(['limit']);
    }
    expect((await a.get('/api/v1/board?limit=500')).status).toBe(200);
  });
});

describe('revalidating pages', () => {
  it('gives each page its own validator, 304 while it is unchanged, and gzip when accepted', async () => {
    const { page: first, etag } = await read(a, '/api/v1/board?limit=3');
    const { etag: second } = await read(a, `/api/v1/board?limit=3&cursor=${first.nextCursor}`);
    const { etag: whole } = await read(a, '/api/v1/board');
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    expect(new Set([etag, second, whole]).size).toBe(3);

    const unchanged = await rawGet(a, '/api/v1/board?limit=3', { 'if-none-match': etag });
    expect(unchanged.status).toBe(304);
    expect(unchanged.body.length).toBe(0);
    // A page of another size is another representation.
    expect((await rawGet(a, '/api/v1/board?limit=4', { 'if-none-match': etag })).status).toBe(200);

    const zipped = await rawGet(a, '/api/v1/board?limit=3', { 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['etag']).toBe(etag);
    const plain = await rawGet(a, '/api/v1/board?limit=3');
    expect(JSON.parse(gunzipSync(zipped.body).toString('utf8'))).toEqual(JSON.parse(plain.body.toString()));
  });

  it('serves the same page with the same validator from either replica', async () => {
    const { page: first, etag: firstA } = await read(a, '/api/v1/board?limit=3');
    const { page: firstOfB, etag: firstB } = await read(b, '/api/v1/board?limit=3');
    expect(firstOfB.rows).toHaveLength(3);
    expect(firstB).toBe(firstA);
    const path = `/api/v1/board?limit=3&cursor=${first.nextCursor}`;
    const { etag: secondA } = await read(a, path);
    expect((await rawGet(b, path, { 'if-none-match': secondA })).status).toBe(304);
    const filtered = '/api/v1/board?q=s&limit=2';
    expect((await rawGet(b, filtered, { 'if-none-match': (await read(a, filtered)).etag })).status).toBe(304);
  });

  it('shows a write made between two page reads on the next page, through either replica', async () => {
    const { page: first, etag: firstEtag } = await read(a, '/api/v1/board?limit=3');
    const path = `/api/v1/board?limit=3&cursor=${first.nextCursor}`;
    const { page: second, etag: secondEtag } = await read(a, path);
    const target = second.rows[0]!.service.slug;
    const stage = await stageId(target, 'staging');
    expect((await b.admin.put(`/api/v1/stages/${stage}/lock`, { reason: 'paging test' })).status).toBe(200);
    try {
      const changed = await rawGet(a, path, { 'if-none-match': secondEtag });
      expect(changed.status).toBe(200);
      const page = boardSchema.parse(JSON.parse(changed.body.toString()));
      const cell = Object.values(page.rows[0]!.cells).find((c) => c.stageId === stage);
      expect(cell?.lock).toMatchObject({ reason: 'paging test' });
      // The first page shows none of that service: its content, so its validator, is unchanged.
      expect((await rawGet(a, '/api/v1/board?limit=3', { 'if-none-match': firstEtag })).status).toBe(304);
    } finally {
      await b.admin.delete(`/api/v1/stages/${stage}/lock`);
    }
  });
});
