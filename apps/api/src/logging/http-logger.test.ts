import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpLogger } from './logger.js';

let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

// A server whose only handler answers the status in the path (`/status/404`), behind the request logger.
async function serve(level: string): Promise<{ url: string; lines: Array<Record<string, unknown>> }> {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const middleware = createHttpLogger(pino({ level }, sink));
  server = createServer((req, res) => {
    middleware(req, res, () => {
      res.statusCode = Number(/\/status\/(\d+)/.exec(req.url ?? '')?.[1] ?? 200);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, lines };
}

// The line is written after the response has gone: wait for it rather than for a fixed time.
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('the request log', () => {
  it('writes one line per request with its id, method, redacted URL, status and time', async () => {
    const { url, lines } = await serve('info');
    const response = await fetch(`${url}/status/200?code=secret-code&page=2`, {
      headers: { 'x-request-id': 'trace-1', authorization: 'Bearer fdt_secret' },
    });
    expect(response.headers.get('x-request-id')).toBe('trace-1');
    await until(() => lines.length > 0);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'request completed',
        req: { id: 'trace-1', method: 'GET', url: '/status/200?code=%5Bredacted%5D&page=2' },
        res: { statusCode: 200 },
        responseTime: expect.any(Number) as number,
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('makes up an id when the caller sends none or a strange one', async () => {
    const { url } = await serve('info');
    const made = await fetch(`${url}/status/200`, { headers: { 'x-request-id': 'has spaces in it' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('at warn logs only 4xx and 503 (warn) and other 5xx (error, without a stack), never the probes', async () => {
    const { url, lines } = await serve('warn');
    for (const path of [
      '/status/200',
      '/status/304',
      '/health/live',
      '/status/404',
      '/status/503',
      '/status/500',
    ]) {
      await (await fetch(`${url}${path}`)).arrayBuffer();
    }
    await until(() => lines.length >= 3);
    expect(
      lines.map((line) => [line['level'], line['msg'], (line['res'] as { statusCode: number }).statusCode]),
    ).toEqual([
      [40, 'request completed', 404],
      [40, 'request completed', 503],
      [50, 'request errored', 500],
    ]);
    expect(lines[2]!['err']).toEqual({ name: 'Error', message: 'failed with status code 500' });
  });

  it('logs nothing for the liveness probe even at debug', async () => {
    const { url, lines } = await serve('debug');
    await (await fetch(`${url}/health/live`)).arrayBuffer();
    await (await fetch(`${url}/status/201`)).arrayBuffer();
    await until(() => lines.length > 0);
    expect(lines.map((line) => (line['req'] as { url: string }).url)).toEqual(['/status/201']);
  });
});
