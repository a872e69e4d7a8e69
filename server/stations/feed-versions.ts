/**
 * The write side of the station feed (DESIGN §4). A transaction that changes what a factory sees
 * takes versions of that factory's counter and records each changed order at its version. The
 * counter's row stays locked until commit, so one factory's writers commit in version order and a
 * reader never skips a change that commits late; db/tx.ts gives the lock order.
 *
 * Transactions that lock orders take the versions LAST (recordFeedChanges), once their work is done:
 * the counter row is then held for one statement and the commit, instead of for the whole transaction
 * — the row every writer of the factory waits for. Transactions that lock no order (a merchant's
 * profile, revoking a station, compaction) may take the row first and read under it (reserveVersions).
 */
import { sql } from 'kysely';
import type { Tx } from '../db/tx.ts';
import { chunks, noteOnCommit } from '../db/tx.ts';
import { dialectOf } from '../db/dialect.ts';

/**
 * Reserve `count` consecutive versions of each factory's feed. Returns, per factory, the first
 * reserved version; versions left unused are harmless gaps. For transactions that lock no order rows.
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

/**
 * The last step of a transaction that changed orders (already locked): for each factory, in ascending
 * id, take one version per changed order and record them. On PostgreSQL that is ONE statement per
 * factory — the counter's update and the entries' upsert together — so the counter row is locked only
 * for it and the commit that follows.
 */
export async function recordFeedChanges(trx: Tx, changes: Map<number, Iterable<number>>): Promise<void> {
  for (const factoryId of [...changes.keys()].sort((a, b) => a - b)) {
    const ids = [...new Set(changes.get(factoryId)!)];
    if (ids.length === 0) continue;
    if (dialectOf(trx) !== 'postgres') {
      const first = await reserveVersions(trx, new Map([[factoryId, ids.length]]));
      await writeFeedEntries(trx, factoryId, ids, first.get(factoryId)!);
      continue;
    }
    const { rows } = await sql<{ head: number }>`
      with v as (
        update factory_versions set version = version + ${ids.length}
        where factory_shop_id = ${factoryId} returning version
      )
      insert into feed_entries as fe (factory_shop_id, order_id, version)
      select ${factoryId}, x.order_id, v.version - ${ids.length} + x.ord
      from v, unnest(${ids}::int[]) with ordinality as x(order_id, ord)
      on conflict (factory_shop_id, order_id) do update set version = excluded.version
      returning (select version from v) as head`.execute(trx);
    if (rows.length === 0) throw new Error(`factory ${factoryId} has no version row`);
    noteOnCommit(trx, { kind: 'feed', factoryShopId: factoryId, version: Number(rows[0]!.head) });
  }
}
