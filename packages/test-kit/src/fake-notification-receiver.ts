import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signFakeWebhookBody } from './fake-webhook-target.js';
import { createWaiters } from './waiters.js';

// How the receiver answers one request.
export interface FakeReceiverAnswer {
  readonly status: number;
  readonly retryAfter?: string;
  readonly body?: string;
}

export interface FakeNotificationRequest {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly rawBody: Buffer;
  readonly json: unknown;
  // x-flightdeck-signature matched the HMAC-SHA256 of the raw body under the receiver's secret.
  readonly signatureValid: boolean;
  readonly deliveryId: string | null;
  readonly event: string | null;
  // What the receiver answered.
  readonly answeredStatus: number;
}

export interface FakeNotificationReceiver {
  // Where to point a channel; any path under it is accepted (`/slack`, `/hooks/ops`, …).
  readonly url: string;
  readonly requests: readonly FakeNotificationRequest[];
  // The next answers, in order, for requests to `path` (all paths when omitted); then 200.
  queue(answers: readonly FakeReceiverAnswer[], path?: string): void;
  // Requests whose x-flightdeck-delivery names this delivery.
  forDelivery(deliveryId: string): FakeNotificationRequest[];
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function signatureMatches(secret: string | null, body: Buffer, header: string | undefined): boolean {
  if (!secret || !header) return false;
  const expected = Buffer.from(signFakeWebhookBody(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

// A notification endpoint on loopback: a Slack incoming webhook or a generic webhook receiver, over real
// HTTP. It checks signatures the way a receiver would (HMAC-SHA256 over the raw body) and answers as a
// test programs it: errors, 429 with Retry-After, then 200 like Slack's "ok".
export async function startFakeNotificationReceiver(
  options: { secret?: string | null } = {},
): Promise<FakeNotificationReceiver> {
  const secret = options.secret ?? null;
  const requests: FakeNotificationRequest[] = [];
  const queues = new Map<string, FakeReceiverAnswer[]>();
  const waiters = createWaiters('fake notification receiver');
  const notify = () => waiters.notify();

  const nextAnswer = (path: string): FakeReceiverAnswer =>
    queues.get(path)?.shift() ?? queues.get('*')?.shift() ?? { status: 200, body: 'ok' };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      let json: unknown;
      try {
        json = rawBody.length ? JSON.parse(rawBody.toString('utf8')) : null;
      } catch {
        json = null;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const path = (req.url ?? '/').split('?')[0]!;
      const answer = req.method === 'POST' ? nextAnswer(path) : { status: 405, body: 'method not allowed' };
      requests.push({
        path,
        headers,
        rawBody,
        json,
        signatureValid: signatureMatches(secret, rawBody, headers['x-flightdeck-signature']),
        deliveryId: headers['x-flightdeck-delivery'] ?? null,
        event: headers['x-flightdeck-event'] ?? null,
        answeredStatus: answer.status,
      });
      res.writeHead(answer.status, {
        'content-type': 'text/plain',
        ...(answer.retryAfter ? { 'retry-after': answer.retryAfter } : {}),
      });
      res.end(answer.body ?? '');
      notify();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    queue(answers, path = '*') {
      queues.set(path, [...(queues.get(path) ?? []), ...answers]);
    },
    forDelivery(deliveryId) {
      return requests.filter((request) => request.deliveryId === deliveryId);
    },
    waitFor(predicate, timeoutMs = 15_000) {
      return waiters.waitFor(predicate, timeoutMs);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
