/**
 * Write transactions and the lock order that keeps them deadlock-free on PostgreSQL.
 *
 * Lock order, always: orders rows (ascending id) → factory_versions rows (ascending factory id).
 * A transaction that changes what a factory sees takes that factory's versions with
 * `UPDATE factory_versions SET version = version + n … RETURNING version`; the row lock it takes is
 * held until commit, so writers of one factory commit in version order and a reader can never see
 * version v+1 before v (DESIGN §4). Transactions that lock orders take their versions last
 * (stations/feed-versions.ts, recordFeedChanges), so the row every writer of a factory queues for is
 * held for one statement and the commit; a transaction that locks no order may take it first and
 * read under it. On SQLite all writes are serialised anyway.
 */
import type { Transaction } from 'kysely';
import type { HubContext } from '../context.ts';
import type { Database } from './schema.ts';
import { transactionOwner, type HubDb } from './open.ts';
import { inTransaction } from './tx-scope.ts';
import { inList } from './sql.ts';

export type Tx = Transaction<Database>;

/** Thrown inside a transaction whose optimistic read turned out stale: it is re-run from the start. */
export class RetryTransaction extends Error {}

const RETRYABLE_PG_CODES = new Set(['40001', '40P01']);

function isRetryable(e: unknown): boolean {
  if (e instanceof RetryTransaction) return true;
  const code = (e as { code?: unknown } | null)?.code;
  // SQLITE_BUSY*: another process (e.g. `hub:seed --db`) holds the write lock past busy_timeout, or a
  // deferred transaction could not upgrade to a writer.
  return typeof code === 'string' && (RETRYABLE_PG_CODES.has(code) || code.startsWith('SQLITE_BUSY'));
}

/** Why writeTx ran a transaction again: a PostgreSQL code (40001, 40P01), SQLITE_BUSY…, or `stale_read`. */
export interface TxRetry {
  cause: string;
  attempt: number;
}
type RetryListener = (r: TxRetry) => void;
const retryListeners = new WeakMap<HubDb, Set<RetryListener>>();

/** Hears each retry writeTx makes on this database (they are otherwise silent: logs and tests count them). */
export function onRetry(db: HubDb, listener: RetryListener): () => void {
  let set = retryListeners.get(db);
  if (!set) retryListeners.set(db, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

function retryCause(e: unknown): string {
  if (e instanceof RetryTransaction) return 'stale_read';
  return String((e as { code?: unknown }).code);
}

/**
 * What a transaction changed that someone outside it waits to hear (a factory's feed moved, a station
 * was revoked): noted during the transaction, told to the database's listeners once it has committed,
 * and dropped if it rolls back. The station push channel listens (stations/feed-events.ts).
 */
export type CommitNote =
  { kind: 'feed'; factoryShopId: number; version: number } | { kind: 'revoked'; stationId: number };
type CommitListener = (notes: readonly CommitNote[]) => void;

const pendingNotes = new WeakMap<Tx, CommitNote[]>();
const commitListeners = new WeakMap<HubDb, Set<CommitListener>>();

export function noteOnCommit(trx: Tx, note: CommitNote): void {
  pendingNotes.get(trx)?.push(note);
}

/** Hears the notes of every transaction committed through writeTx on this database. */
export function onCommit(db: HubDb, listener: CommitListener): () => void {
  let set = commitListeners.get(db);
  if (!set) commitListeners.set(db, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

export async function writeTx<T>(ctx: Pick<HubContext, 'db'>, fn: (trx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      let notes: CommitNote[] = [];
      const result = await ctx.db.transaction().execute((trx) => {
        // A fresh list per attempt: an attempt that rolled back told nobody anything.
        notes = [];
        pendingNotes.set(trx, notes);
        return inTransaction(transactionOwner(ctx.db), () => fn(trx));
      });
      if (notes.length > 0) for (const l of commitListeners.get(ctx.db) ?? []) l(notes);
      return result;
    } catch (e) {
      if (attempt >= 10 || !isRetryable(e)) throw e;
      for (const l of retryListeners.get(ctx.db) ?? []) l({ cause: retryCause(e), attempt });
      await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
    }
  }
}

/** A consistent read across several statements (feed pages, checks). */
export async function readTx<T>(ctx: Pick<HubContext, 'db' | 'dialect'>, fn: (trx: Tx) => Promise<T>): Promise<T> {
  const builder =
    ctx.dialect === 'postgres' ? ctx.db.transaction().setIsolationLevel('repeatable read') : ctx.db.transaction();
  const owner = transactionOwner(ctx.db);
  return builder.execute((trx) => inTransaction(owner, () => fn(trx)));
}

/** Lock order rows for update (PostgreSQL; a no-op on SQLite, whose writers are serialised). */
export async function lockOrders(trx: Tx, ctx: Pick<HubContext, 'dialect'>, orderIds: number[]): Promise<void> {
  if (ctx.dialect !== 'postgres' || orderIds.length === 0) return;
  const ids = [...new Set(orderIds)].sort((a, b) => a - b);
  for (const part of chunks(ids, 1000)) {
    await trx
      .selectFrom('orders')
      .select('id')
      .where(inList(trx, 'id', part))
      .orderBy('id')
      .forUpdate()
      .execute();
  }
}

/**
 * Lock the orders with these sns (PostgreSQL; only `merchantShopId`'s when given), in ascending id
 * order like lockOrders; a no-op on SQLite.
 */
export async function lockOrdersBySn(
  trx: Tx,
  ctx: Pick<HubContext, 'dialect'>,
  sns: string[],
  merchantShopId?: number,
): Promise<void> {
  if (ctx.dialect !== 'postgres' || sns.length === 0) return;
  // One statement (one bound list): the rows are locked in the order of the sort, whatever the list's.
  let q = trx
    .selectFrom('orders')
    .select('id')
    .where(inList(trx, 'sn', sns));
  if (merchantShopId !== undefined) q = q.where('merchant_shop_id', '=', merchantShopId);
  await q.orderBy('id').forUpdate().execute();
}

export function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
