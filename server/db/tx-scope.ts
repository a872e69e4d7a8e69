/**
 * A query that asks the database for a connection from inside one of that database's own
 * transactions waits for ever on SQLite: the hub has one connection, and the transaction holds it
 * until the code waiting for the query finishes. On PostgreSQL it reads outside the transaction's
 * snapshot, and under load the pool can run dry the same way. Both are bugs of the code (`ctx.db`
 * where `trx` was meant), so a connection asked for in that situation is refused at once, with a
 * stack that names the caller, instead of hanging every request behind it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Dialect } from 'kysely';

interface OpenTransaction {
  owner: object;
  open: boolean;
}

const current = new AsyncLocalStorage<OpenTransaction>();

export class QueryOutsideTransactionError extends Error {
  constructor() {
    super(
      'a query through the database (not the transaction) inside one of its own transactions: it would wait ' +
        'for the connection the transaction holds. Use the transaction (trx) for it.',
    );
    this.name = 'QueryOutsideTransactionError';
  }
}

/**
 * The dialect, with a driver that refuses a connection to code running inside one of `owner`'s
 * transactions. A single-connection database (SQLite) is serialised here rather than by Kysely, whose
 * lock would be taken before the driver could refuse.
 */
export function guardedDialect(dialect: Dialect, owner: object): Dialect {
  const single = !dialect.createAdapter().supportsMultipleConnections;
  const refuse = (): boolean => {
    const tx = current.getStore();
    return tx !== undefined && tx.open && tx.owner === owner;
  };
  return {
    createAdapter: () => {
      const adapter = dialect.createAdapter();
      if (!single) return adapter;
      return new Proxy(adapter, {
        get: (target, prop) =>
          prop === 'supportsMultipleConnections' ? true : (Reflect.get(target, prop, target) as unknown),
      });
    },
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => {
      const driver = dialect.createDriver();
      const acquire = driver.acquireConnection.bind(driver);
      const release = driver.releaseConnection.bind(driver);
      if (!single) {
        driver.acquireConnection = () => (refuse() ? Promise.reject(new QueryOutsideTransactionError()) : acquire());
        return driver;
      }
      let held: Promise<void> = Promise.resolve();
      let unlock = (): void => {};
      driver.acquireConnection = async () => {
        if (refuse()) throw new QueryOutsideTransactionError();
        const before = held;
        let done!: () => void;
        held = new Promise<void>((r) => (done = r));
        await before;
        unlock = done;
        try {
          return await acquire();
        } catch (e) {
          done();
          throw e;
        }
      };
      driver.releaseConnection = async (connection) => {
        try {
          await release(connection);
        } finally {
          unlock();
        }
      };
      return driver;
    },
  };
}

/** Runs `fn` as the body of one of `owner`'s transactions; work it leaves running afterwards is not. */
export async function inTransaction<T>(owner: object | undefined, fn: () => Promise<T>): Promise<T> {
  if (!owner) return fn();
  const tx: OpenTransaction = { owner, open: true };
  try {
    return await current.run(tx, fn);
  } finally {
    tx.open = false;
  }
}
