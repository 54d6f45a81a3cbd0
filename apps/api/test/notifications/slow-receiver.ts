import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A receiver that takes its time: an HTTP proxy on loopback in front of a fake receiver that holds each
// request for a delay of its choosing before passing it on. Requests sent at once therefore reach the
// receiver behind it (which records them) in a shuffled order, as a real receiver that is slow now and
// then would process them; requests sent one at a time arrive in the order they were sent.
export interface SlowReceiver {
  readonly url: string;
  // The most requests that were ever in flight at once to one path.
  maxInFlight(path: string): number;
  close(): Promise<void>;
}

// `delayMs` is asked once per request, with the path and how many requests that path had before it.
export async function startSlowReceiver(
  target: string,
  delayMs: (path: string, index: number) => number,
): Promise<SlowReceiver> {
  const inFlight = new Map<string, number>();
  const maxima = new Map<string, number>();
  const seen = new Map<string, number>();

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const path = (req.url ?? '/').split('?')[0]!;
    // Done before the sender can see the answer, so a sender that waits for it never overlaps.
    const done = () => inFlight.set(path, inFlight.get(path)! - 1);
    const upstream = request(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: { ...req.headers, connection: 'close' } },
      (answer: IncomingMessage) => {
        done();
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      done();
      res.writeHead(502).end();
    });
    upstream.end(body);
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const index = seen.get(path) ?? 0;
    seen.set(path, index + 1);
    const now = (inFlight.get(path) ?? 0) + 1;
    inFlight.set(path, now);
    maxima.set(path, Math.max(maxima.get(path) ?? 0, now));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      setTimeout(() => forward(req, res, Buffer.concat(chunks)), delayMs(path, index));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    maxInFlight: (path) => maxima.get(path) ?? 0,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
