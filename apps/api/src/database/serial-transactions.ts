import type { PrismaPg } from '@prisma/adapter-pg';
import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  Transaction,
} from '@prisma/driver-adapter-utils';

// Prisma's query interpreter loads sibling relations (an include or select of two relations) with
// Promise.all. In an interactive transaction they share one pg connection, and pg warns ("Calling
// client.query() when the client is already executing a query", an error from pg@9) when a query is
// sent while another waits on the same client. Until the adapter serialises them itself
// (prisma/orm#29407), each transaction sends its queries one at a time; the pool outside transactions
// stays parallel. Same queries, same order per relation, same results.
export class SerialTransactionsPg implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres';
  readonly adapterName: string;

  constructor(private readonly inner: PrismaPg) {
    this.adapterName = inner.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    return serialiseTransactions(await this.inner.connect());
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return serialiseTransactions(await this.inner.connectToShadowDb());
  }
}

function serialiseTransactions<A extends SqlDriverAdapter>(adapter: A): A {
  const start = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel?: IsolationLevel) =>
    oneAtATime(await start(isolationLevel));
  return adapter;
}

// Queues the transaction's queries: each starts when the one before it has settled.
export function oneAtATime(tx: Transaction): Transaction {
  let tail: Promise<unknown> = Promise.resolve();
  const queued = <T>(task: () => Promise<T>): Promise<T> => {
    const result = tail.then(task);
    tail = result.catch(() => undefined);
    return result;
  };
  const queryRaw = tx.queryRaw.bind(tx);
  const executeRaw = tx.executeRaw.bind(tx);
  tx.queryRaw = (query) => queued(() => queryRaw(query));
  tx.executeRaw = (query) => queued(() => executeRaw(query));
  return tx;
}
