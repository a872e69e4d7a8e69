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

/** Queues mutations; must run inside a transaction that includes `outbox` and `meta`. */
export async function enqueue(db: StationDb, mutations: NewMutation[], now: string): Promise<number[]> {
  const next = ((await db.meta.get(META.nextMutationId))?.value as number | undefined) ?? 1;
  const ids = mutations.map((_, i) => next + i);
  await db.outbox.bulkAdd(
    mutations.map((m, i) => ({ id: ids[i]!, mutation: { ...m, id: ids[i]! } as Mutation, createdAt: now, attempts: 0, lastError: null })),
  );
  await db.meta.put({ key: META.nextMutationId, value: next + mutations.length });
  return ids;
}

export type { NewMutation };
