/**
 * The write side of the station feed (DESIGN §4): a transaction that changes what a factory sees
 * reserves that factory's versions first (db/tx.ts gives the lock order), then records each changed
 * order at its version.
 */
import type { Tx } from '../db/tx.ts';
import { chunks, noteOnCommit } from '../db/tx.ts';

/**
 * Reserve `count` consecutive versions of each factory's feed. Returns, per factory, the first
 * reserved version; versions left unused are harmless gaps. Must be the first writes of the transaction.
 */
export async function reserveVersions(trx: Tx, counts: Map<number, number>): Promise<Map<number, number>> {
  const first = new Map<number, number>();
  for (const factoryId of [...counts.keys()].sort((a, b) => a - b)) {
    const n = counts.get(factoryId)!;
    if (n <= 0) continue;
    const row = await trx
      .updateTable('factory_versions')
      .set((eb) => ({ version: eb('version', '+', n) }))
      .where('factory_shop_id', '=', factoryId)
      .returning('version')
      .executeTakeFirst();
    if (!row) throw new Error(`factory ${factoryId} has no version row`);
    first.set(factoryId, row.version - n + 1);
    noteOnCommit(trx, { kind: 'feed', factoryShopId: factoryId, version: row.version });
  }
  return first;
}

/** Record that these orders changed for this factory, at consecutive versions from `firstVersion`. */
export async function writeFeedEntries(
  trx: Tx,
  factoryId: number,
  orderIds: number[],
  firstVersion: number,
): Promise<void> {
  if (orderIds.length === 0) return;
  const rows = orderIds.map((orderId, i) => ({
    factory_shop_id: factoryId,
    order_id: orderId,
    version: firstVersion + i,
  }));
  for (const part of chunks(rows, 500)) {
    await trx
      .insertInto('feed_entries')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['factory_shop_id', 'order_id']).doUpdateSet((eb) => ({ version: eb.ref('excluded.version') })),
      )
      .execute();
  }
}

/** A helper for the common case: one factory, some orders, inside a transaction that reserved nothing yet. */
export async function touchFactoryFeed(trx: Tx, factoryId: number, orderIds: number[]): Promise<void> {
  const first = await reserveVersions(trx, new Map([[factoryId, orderIds.length]]));
  await writeFeedEntries(trx, factoryId, orderIds, first.get(factoryId)!);
}
