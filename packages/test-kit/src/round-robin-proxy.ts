import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

// The header naming which backend (its index in `backends`) answered a request through the proxy.
export const BACKEND_HEADER = 'x-fake-lb-backend';

// An HTTP load balancer on loopback: each request goes to the next backend in turn, streamed both
// ways, so server-sent events pass through as they are written. The Host header is kept, like a
// reverse proxy that preserves it, so origin checks see the proxy's address. A backend that cannot be
// reached answers 502, as a real load balancer would.
export interface RoundRobinProxy {
  readonly url: string;
  // Requests sent to each backend so far, by index.
  readonly counts: readonly number[];
  close(): Promise<void>;
}

export async function startRoundRobinProxy(backends: readonly string[]): Promise<RoundRobinProxy> {
  if (backends.length === 0) throw new Error('at least one backend');
  const counts = backends.map(() => 0);
  const sockets = new Set<Socket>();
  let next = 0;

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const index = next;
    next = (next + 1) % backends.length;
    counts[index]! += 1;
    const target = new URL(req.url ?? '/', backends[index]);
    const upstream = request(
      target,
      { method: req.method, headers: { ...req.headers, connection: 'close' } },
      (answer: IncomingMessage) => {
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, [BACKEND_HEADER]: String(index) });
        res.flushHeaders();
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway');
      else res.destroy();
    });
    // The client went away (e.g. closed an event stream): stop the upstream request too.
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  };

  const server = createServer(forward);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
