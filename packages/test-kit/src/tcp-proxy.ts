import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

// A TCP proxy on loopback in front of a server (here: Postgres). `outage()` cuts every connection and
// refuses new ones (the port stops listening) until `restore()`: to the app behind it, that is what a
// restarted database server looks like, without touching the machine's shared Postgres server.
export interface TcpProxy {
  readonly port: number;
  // The target URL with its host and port replaced by the proxy's.
  rewrite(url: string): string;
  // Connections currently open through the proxy.
  readonly openConnections: number;
  outage(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    track(client);
    track(upstream);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  let down = false;

  const cutAll = () => {
    for (const socket of sockets) socket.destroy();
  };

  return {
    port,
    rewrite(url) {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    get openConnections() {
      return sockets.size;
    },
    async outage() {
      if (down) return;
      down = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      cutAll();
      await closed;
    },
    async restore() {
      if (!down) return;
      await listen(port);
      down = false;
    },
    async close() {
      cutAll();
      if (!down) await new Promise<void>((resolve) => server.close(() => resolve()));
      down = true;
    },
  };
}
