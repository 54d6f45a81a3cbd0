// Errors that mean "the database cannot be reached right now" (a restart, a failover, a cut network,
// a pool exhausted for longer than a transaction may wait), as opposed to a bug. They are answered 503 with a retry hint rather than a 500.
const UNREACHABLE_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
const UNREACHABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017']);
const UNREACHABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);
// Postgres SQLSTATEs: connection exceptions (class 08), shutting down or starting up (57P01–57P03).
const UNREACHABLE_SQLSTATE = /^(08...|57P0[123])$/;

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { code, meta, message, cause } = current as {
      code?: unknown;
      meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } };
      message?: unknown;
      cause?: unknown;
    };
    const adapterCause = meta?.driverAdapterError?.cause;
    if (typeof adapterCause?.kind === 'string' && UNREACHABLE_KINDS.has(adapterCause.kind)) return true;
    if (
      typeof adapterCause?.originalCode === 'string' &&
      UNREACHABLE_SQLSTATE.test(adapterCause.originalCode)
    )
      return true;
    if (typeof code === 'string') {
      if (UNREACHABLE_PRISMA_CODES.has(code) || UNREACHABLE_NODE_CODES.has(code)) return true;
      if (UNREACHABLE_SQLSTATE.test(code)) return true;
    }
    // Every pooled connection stayed busy for as long as a transaction may wait for one.
    if (code === 'P2028' && typeof message === 'string' && message.includes('Unable to start a transaction'))
      return true;
    // node-postgres, when the server goes away mid-session.
    if (typeof message === 'string' && /^Connection terminated/.test(message)) return true;
    current = cause;
  }
  return false;
}
