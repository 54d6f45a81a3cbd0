import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWaiters } from './waiters.js';

// A signed status report the target sends to the deployment's callbackUrl after it accepted a start.
export interface FakeWebhookCallback {
  readonly status: 'running' | 'succeeded' | 'failed';
  readonly message?: string;
  readonly url?: string;
  readonly externalId?: string;
  readonly afterMs?: number;
  // Sign with another secret (or not at all), to see a callback refused.
  readonly secret?: string | null;
}

// How the target answers a start request; counted per deployment id.
export type FakeWebhookBehaviour =
  | {
      readonly kind: 'accept';
      readonly status?: number;
      // JSON answer, e.g. { externalId, url, status, message }.
      readonly answer?: Record<string, unknown>;
      readonly callback?: FakeWebhookCallback;
      // Answer this long after the request arrived (the target is slow to acknowledge).
      readonly delayMs?: number;
    }
  // `status` (500 by default) for the first `times` start calls of a deployment, then `then`.
  | {
      readonly kind: 'fail';
      readonly times: number;
      readonly status?: number;
      readonly body?: string;
      readonly retryAfter?: string;
      readonly then?: FakeWebhookBehaviour;
    }
  // Reads the request and never answers; the socket stays open until the target closes.
  | { readonly kind: 'hang' }
  | { readonly kind: 'reject'; readonly status?: number; readonly body?: string };

// What GET /status/{deploymentId} answers: a report, or an HTTP error.
export type FakeStatusAnswer =
  | {
      readonly status: string;
      readonly message?: string;
      readonly url?: string;
      readonly externalId?: string;
    }
  | { readonly httpStatus: number; readonly body?: string };

export interface FakeWebhookRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly rawBody: Buffer;
  readonly json: unknown;
  // The x-flightdeck-signature header matched the HMAC of the raw body under the target's secret.
  readonly signatureValid: boolean;
  readonly event: string | null;
  readonly deploymentId: string | null;
  readonly receivedAt: Date;
}

export interface FakeCallbackResult {
  readonly deploymentId: string;
  readonly url: string;
  readonly status: number | null;
  readonly body: string;
  readonly error?: string;
}

export interface FakeWebhookTarget {
  // Origin, e.g. http://127.0.0.1:43121.
  readonly url: string;
  // Where Flightdeck POSTs starts and cancels.
  readonly deployUrl: string;
  // A statusUrl template for the stage settings.
  readonly statusUrl: string;
  readonly requests: readonly FakeWebhookRequest[];
  readonly callbacks: readonly FakeCallbackResult[];
  // Start requests, for one deployment or all.
  starts(deploymentId?: string): FakeWebhookRequest[];
  // For every deployment, or for one (overrides the default).
  setBehaviour(behaviour: FakeWebhookBehaviour, deploymentId?: string): void;
  setStatus(deploymentId: string, answer: FakeStatusAnswer): void;
  // Resolves once the predicate holds, checked as requests and callbacks come in.
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function signFakeWebhookBody(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function signatureMatches(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signFakeWebhookBody(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

// A webhook deploy target on loopback, speaking Flightdeck's webhook contract over real HTTP: it records
// every request, checks signatures, and answers as each test programs it (accept and call back later,
// fail k times, hang, refuse, serve a status URL).
export async function startFakeWebhookTarget(options: {
  secret: string;
  behaviour?: FakeWebhookBehaviour;
}): Promise<FakeWebhookTarget> {
  const requests: FakeWebhookRequest[] = [];
  const callbacks: FakeCallbackResult[] = [];
  const behaviours = new Map<string, FakeWebhookBehaviour>();
  const statuses = new Map<string, FakeStatusAnswer>();
  const calledBack = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<Promise<void>>();
  const waiters = createWaiters('fake webhook target');
  const callbackAbort = new AbortController();
  let fallback: FakeWebhookBehaviour = options.behaviour ?? { kind: 'accept', status: 202 };
  let closed = false;

  const notify = () => waiters.notify();

  const startsOf = (deploymentId?: string) =>
    requests.filter(
      (r) =>
        r.event === 'deployment.start' && (deploymentId === undefined || r.deploymentId === deploymentId),
    );

  const callBack = (deploymentId: string, callbackUrl: string, callback: FakeWebhookCallback) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      const body = Buffer.from(
        JSON.stringify({
          status: callback.status,
          message: callback.message ?? '',
          ...(callback.url ? { url: callback.url } : {}),
          ...(callback.externalId ? { externalId: callback.externalId } : {}),
        }),
      );
      const secret = callback.secret === undefined ? options.secret : callback.secret;
      const sent = fetch(callbackUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(secret === null ? {} : { 'x-flightdeck-signature': signFakeWebhookBody(secret, body) }),
        },
        body,
        signal: callbackAbort.signal,
      })
        .then(async (response) => {
          callbacks.push({
            deploymentId,
            url: callbackUrl,
            status: response.status,
            body: await response.text(),
          });
        })
        .catch((error: unknown) => {
          callbacks.push({ deploymentId, url: callbackUrl, status: null, body: '', error: String(error) });
        })
        .finally(() => {
          inFlight.delete(sent);
          notify();
        });
      inFlight.add(sent);
    }, callback.afterMs ?? 0);
    timers.add(timer);
  };

  const answerStart = (res: ServerResponse, request: FakeWebhookRequest, behaviour: FakeWebhookBehaviour) => {
    const id = request.deploymentId ?? '';
    // This request is already recorded: the first start is call number 1.
    const call = startsOf(id).length;
    switch (behaviour.kind) {
      case 'hang':
        return;
      case 'reject':
        res.writeHead(behaviour.status ?? 400, { 'content-type': 'text/plain' });
        res.end(behaviour.body ?? 'Bad request');
        return;
      case 'fail':
        if (call <= behaviour.times) {
          res.writeHead(behaviour.status ?? 500, {
            'content-type': 'text/plain',
            ...(behaviour.retryAfter ? { 'retry-after': behaviour.retryAfter } : {}),
          });
          res.end(behaviour.body ?? 'Internal error');
          return;
        }
        answerStart(res, request, behaviour.then ?? { kind: 'accept' });
        return;
      case 'accept': {
        const json = request.json as { callbackUrl?: unknown } | null;
        if (behaviour.callback && typeof json?.callbackUrl === 'string' && !calledBack.has(id)) {
          calledBack.add(id);
          callBack(id, json.callbackUrl, behaviour.callback);
        }
        const answer = () => {
          if (behaviour.answer) sendJson(res, behaviour.status ?? 202, behaviour.answer);
          else {
            res.writeHead(behaviour.status ?? 202);
            res.end();
          }
        };
        if (!behaviour.delayMs) return answer();
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer();
        }, behaviour.delayMs);
        timers.add(timer);
      }
    }
  };

  const answerStatus = (res: ServerResponse, deploymentId: string) => {
    // A deployment this target never received (and was told nothing about) is unknown to it.
    if (!statuses.has(deploymentId) && startsOf(deploymentId).length === 0) {
      return sendJson(res, 404, { error: 'unknown deployment' });
    }
    const answer = statuses.get(deploymentId) ?? { status: 'running' };
    if ('httpStatus' in answer) {
      res.writeHead(answer.httpStatus, { 'content-type': 'text/plain' });
      res.end(answer.body ?? '');
    } else sendJson(res, 200, answer);
  };

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
      const headers = flatHeaders(req);
      const path = (req.url ?? '/').split('?')[0]!;
      const body = json as { event?: unknown; deploymentId?: unknown } | null;
      const statusMatch = /^\/status\/([^/]+)$/.exec(path);
      const request: FakeWebhookRequest = {
        method: req.method ?? 'GET',
        path,
        headers,
        rawBody,
        json,
        signatureValid: signatureMatches(options.secret, rawBody, headers['x-flightdeck-signature']),
        event: typeof body?.event === 'string' ? body.event : (headers['x-flightdeck-event'] ?? null),
        deploymentId:
          typeof body?.deploymentId === 'string'
            ? body.deploymentId
            : statusMatch
              ? decodeURIComponent(statusMatch[1]!)
              : (headers['x-flightdeck-delivery'] ?? null),
        receivedAt: new Date(),
      };
      requests.push(request);
      notify();
      if (req.method === 'GET' && statusMatch) return answerStatus(res, request.deploymentId!);
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'method not allowed' });
      if (request.event === 'deployment.start') {
        return answerStart(res, request, behaviours.get(request.deploymentId ?? '') ?? fallback);
      }
      res.writeHead(202);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    deployUrl: `${url}/deploy`,
    statusUrl: `${url}/status/{deploymentId}`,
    requests,
    callbacks,
    starts: startsOf,
    setBehaviour(behaviour, deploymentId) {
      if (deploymentId === undefined) fallback = behaviour;
      else behaviours.set(deploymentId, behaviour);
    },
    setStatus(deploymentId, answer) {
      statuses.set(deploymentId, answer);
    },
    waitFor(predicate, timeoutMs = 10_000) {
      return waiters.waitFor(predicate, timeoutMs);
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      callbackAbort.abort();
      await Promise.allSettled([...inFlight]);
      // Held (hanging) requests end with their sockets.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
