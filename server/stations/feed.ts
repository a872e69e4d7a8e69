/**
 * The station feed (D1, DESIGN §4), and the factory's list of its orders.
 * Each factory's feed is the set of (order, version) entries in feed_entries; an order's entry
 * carries the version of its latest change. A page is `version > cursor` in version order, read
 * in one snapshot, rendered as full masked snapshots from the current rows.
 */
import type { FeedResponse } from '../../shared/api/stations.ts';
import type { FactoryOrderSnapshot } from '../../shared/api/orders.ts';
import type { HubContext } from '../context.ts';
import { sql } from 'kysely';
import { factorySnapshot, loadOrdersById } from '../orders/orders.ts';
import { readTx } from '../db/tx.ts';
import { inList } from '../db/sql.ts';
import type { HubDb } from '../db/open.ts';

/**
 * Cursor text: "f<factory>.v<version>", or "f<factory>.v<version>.s" inside a reset that has more
 * pages. Opaque to clients.
 */
export function formatCursor(factoryShopId: number, version: number, scan = false): string {
  return `f${factoryShopId}.v${version}${scan ? '.s' : ''}`;
}

export function parseCursor(
  cursor: string | undefined,
): { factoryShopId: number; version: number; scan: boolean } | null {
  const m = cursor ? /^f(\d{1,10})\.v(\d{1,15})(\.s)?$/.exec(cursor) : null;
  return m ? { factoryShopId: Number(m[1]), version: Number(m[2]), scan: m[3] !== undefined } : null;
}

/**
 * One page of the feed, in two statements and no transaction (each statement reads its own snapshot):
 * first the head and the entries after the cursor, then the orders. That order is what makes it safe:
 * writers of a factory commit in version order (db/tx.ts), so the entries read cannot have a gap
 * that a later commit fills; and the orders, read after, are at least as new as their entries (an
 * order changed meanwhile shows its newer state at the older version, and comes again at the newer).
 *
 * A cursor below `min_version` gets a reset: compaction may have removed entries above it that the
 * station holds older copies of. Inside a reset the station holds only what this reset sent, so the
 * reset's own cursor (".s") continues below `min_version`: the orders still there are often older
 * than the horizon (waiting to be printed for longer than the retention), and a reset of more than one
 * page would otherwise start again for ever. The last page's cursor is the head, which is never below
 * `min_version`, so a station that read to the end is caught up.
 */
export async function feedPage(
  ctx: HubContext,
  factoryShopId: number,
  cursor: string | undefined,
  limit: number,
): Promise<FeedResponse> {
  const c = parseCursor(cursor);
  // -1 never lies within [floor, version]: another factory's cursor, or none, reads from 0.
  const asked = c !== null && c.factoryShopId === factoryShopId ? c.version : -1;
  const scan = c?.scan === true;
  // One statement, so the head and the entries are one snapshot. The lower bound is a scalar subquery
  // (computed once), so the entries are an ordered range of the (factory, version) index that stops
  // after one page; a bound taken from a join reads every entry past the cursor for each page.
  const floor = scan ? sql`0` : sql`min_version`;
  const from = sql`(select case when ${asked} >= ${floor} and ${asked} <= version then ${asked} else 0 end
    from factory_versions where factory_shop_id = ${factoryShopId})`;
  const { rows } = await sql<{
    head: number | null;
    min_version: number | null;
    order_id: number | null;
    version: number | null;
  }>`select version as head, min_version, cast(null as integer) as order_id, cast(null as integer) as version
       from factory_versions where factory_shop_id = ${factoryShopId}
     union all
     select * from (
       select cast(null as integer) as head, cast(null as integer) as min_version, order_id, version from feed_entries
        where factory_shop_id = ${factoryShopId} and version > ${from}
        order by version limit ${limit + 1}
     ) as page`.execute(ctx.db);
  const factory = rows.find((r) => r.order_id === null);
  const head = factory?.head ?? 0;
  // A cursor we cannot serve incrementally: another factory's, from the future (a restored hub),
  // below the retained floor outside a reset, or garbage. The station clears its cache and takes everything.
  const reset = asked < 0 || asked > head || (!scan && asked < (factory?.min_version ?? 0));
  const entries = rows
    .flatMap((r) => (r.order_id !== null && r.version !== null ? [{ order_id: r.order_id, version: r.version }] : []))
    .sort((a, b) => a.version - b.version);
  const page = entries.slice(0, limit);
  const changes = await snapshots(ctx.db, factoryShopId, page);
  const hasMore = entries.length > limit;
  return {
    reset,
    changes,
    // The head and the entries come from one statement: with no more pages, every entry up to the head was read.
    cursor: hasMore
      ? formatCursor(factoryShopId, page[page.length - 1]!.version, reset || scan)
      : formatCursor(factoryShopId, head),
    hasMore,
  };
}

async function snapshots(
  db: HubDb,
  factoryShopId: number,
  entries: { order_id: number; version: number }[],
): Promise<FactoryOrderSnapshot[]> {
  if (entries.length === 0) return [];
  const orders = await loadOrdersById(
    db,
    entries.map((e) => e.order_id),
    { factoryShopId, withMerchant: true },
  );
  return entries.map((e) => {
    const o = orders.get(e.order_id)!;
    return factorySnapshot(o, factoryShopId, e.version, o.merchant);
  });
}

/**
 * Orders currently or previously allocated to the factory, by order id (the factory console's list).
 * From the allocations, not the feed: compaction drops finished orders from the feed, not from here.
 */
export async function factoryOrders(
  ctx: HubContext,
  factoryShopId: number,
  afterOrderId: number,
  limit: number,
): Promise<{ orders: FactoryOrderSnapshot[]; nextCursor: string | null }> {
  return readTx(ctx, async (trx) => {
    const ids = await trx
      .selectFrom('allocations')
      .select('order_id')
      .distinct()
      .where('factory_shop_id', '=', factoryShopId)
      .where('order_id', '>', afterOrderId)
      .orderBy('order_id')
      .limit(limit + 1)
      .execute();
    const page = ids.slice(0, limit).map((r) => r.order_id);
    const versions = new Map<number, number>();
    if (page.length > 0) {
      const rows = await trx
        .selectFrom('feed_entries')
        .select(['order_id', 'version'])
        .where('factory_shop_id', '=', factoryShopId)
        .where(inList(trx, 'order_id', page))
        .execute();
      for (const r of rows) versions.set(r.order_id, r.version);
    }
    return {
      orders: await snapshots(
        trx,
        factoryShopId,
        page.map((order_id) => ({ order_id, version: versions.get(order_id) ?? 0 })),
      ),
      nextCursor: ids.length > limit ? String(page[page.length - 1]!) : null,
    };
  });
}
