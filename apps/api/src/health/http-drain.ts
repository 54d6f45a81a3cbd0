import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface DrainResult {
  // Requests still open when the grace period ran out (their connections were cut).
  readonly cut: number;
}

const isEventStream = (res: ServerResponse): boolean =>
  String(res.getHeader('content-type') ?? '').startsWith('text/event-stream');

// Knows the requests in flight on one HTTP server, so a stop can let them finish: stop accepting,
// end live-event streams (browsers reconnect to another replica), close each keep-alive connection
// once its request is answered, and cut what is left when the grace period runs out.
export class HttpDrain {
  private readonly open = new Set<ServerResponse>();
  private draining = false;
  private settled: (() => void) | null = null;

  constructor(private readonly server: Server) {
    server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
      this.open.add(res);
      // A request that arrives on a kept-alive connection while draining is served, then the
      // connection closes.
      if (this.draining) res.setHeader('connection', 'close');
      res.once('close', () => {
        this.open.delete(res);
        if (this.draining) this.server.closeIdleConnections();
        if (this.open.size === 0) this.settled?.();
      });
    });
  }

  get inFlight(): number {
    return this.open.size;
  }

  async drain(graceMs: number): Promise<DrainResult> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const res of this.open) {
      if (isEventStream(res)) res.end();
      else if (!res.headersSent) res.setHeader('connection', 'close');
    }
    this.server.closeIdleConnections();
    const answered = new Promise<void>((resolve) => {
      this.settled = resolve;
      if (this.open.size === 0) resolve();
    });
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'over'>((resolve) => {
      timer = setTimeout(() => resolve('over'), graceMs);
    });
    const outcome = await Promise.race([answered.then(() => 'answered' as const), graceOver]);
    clearTimeout(timer);
    const cut = outcome === 'over' ? this.open.size : 0;
    this.server.closeAllConnections();
    await closed;
    return { cut };
  }
}
