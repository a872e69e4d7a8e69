/**
 * The outbox (DESIGN.md §4): one stable clientId per installation, and mutation ids that rise by exactly
 * 1. An id is taken in the same transaction that records why (a label sent, a reprint), so the queue
 * can neither miss a return nor hold one twice; an entry leaves only when the hub has answered for it.
 */
import type { Mutation } from '../../shared/api/waybills.ts';
import { META, type StationDb } from './db.ts';

type NewMutation = Mutation extends infer M ? (M extends Mutation ? Omit<M, 'id'> : never) : never;

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `st-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The installation's clientId, created on first use. Call inside or outside a transaction on meta. */
export async function clientIdOf(db: StationDb): Promise<string> {
  return db.transaction('rw', db.meta, async () => {
    const row = await db.meta.get(META.clientId);
    if (row) return row.value as string;
    const id = randomId();
    await db.meta.put({ key: META.clientId, value: id });
    return id;
  });
}

/** The id the next queued mutation gets; read inside the transaction that queues it. */
export async function nextMutationId(db: StationDb): Promise<number> {
  return ((await db.meta.get(META.nextMutationId))?.value as number | undefined) ?? 1;
}

/**
 * Queues mutations with ids from `first` (read by nextMutationId in the same transaction, which must
 * include `outbox` and `meta`): the writes are issued together, without a read between them.
 */
export async function enqueueFrom(db: StationDb, first: number, mutations: NewMutation[], now: string): Promise<number[]> {
  const ids = mutations.map((_, i) => first + i);
  await Promise.all([
    db.outbox.bulkAdd(
      mutations.map((m, i) => ({ id: ids[i]!, mutation: { ...m, id: ids[i]! } as Mutation, createdAt: now, attempts: 0, lastError: null })),
    ),
    db.meta.put({ key: META.nextMutationId, value: first + mutations.length }),
  ]);
  return ids;
}

/** Queues mutations; must run inside a transaction that includes `outbox` and `meta`. */
export async function enqueue(db: StationDb, mutations: NewMutation[], now: string): Promise<number[]> {
  return enqueueFrom(db, await nextMutationId(db), mutations, now);
}

export type { NewMutation };
