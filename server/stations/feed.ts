/**
 * The station feed (D1, DESIGN §4), and the factory's list of its orders.
 * Each factory's feed is the set of (order, version) entries in feed_entries; an order's entry
 * carries the version of its latest change. A page is `version > cursor` in version order, read
 * in one snapshot, rendered as full masked snapshots from the current rows.
 */
import type { FeedResponse } from '../../shared/api/stations.ts';
import type { FactoryOrderSnapshot } from '../../shared/api/orders.ts';
import type { HubContext } from '../context.ts';
import { factorySnapshot, loadMerchantInfo, loadOrdersById } from '../orders/orders.ts';
import { readTx, type Tx } from '../db/tx.ts';
import { inList } from '../db/sql.ts';

/** Cursor text: "f<factory>.v<version>". Opaque to clients. */
export function formatCursor(factoryShopId: number, version: number): string {
  return `f${factoryShopId}.v${version}`;
}

export function parseCursor(cursor: string | undefined): { factoryShopId: number; version: number } | null {
  const m = cursor ? /^f(\d{1,10})\.v(\d{1,15})$/.exec(cursor) : null;
  return m ? { factoryShopId: Number(m[1]), version: Number(m[2]) } : null;
}

export async function feedPage(
  ctx: HubContext,
  factoryShopId: number,
  cursor: string | undefined,
  limit: number,
): Promise<FeedResponse> {
  return readTx(ctx, async (trx) => {
    const fv = await trx
      .selectFrom('factory_versions')
      .select(['version', 'min_version'])
      .where('factory_shop_id', '=', factoryShopId)
      .executeTakeFirst();
    const head = fv?.version ?? 0;
    const c = parseCursor(cursor);
    // A cursor we cannot serve incrementally: another factory's, from the future (a restored hub),
    // below the retained floor, or garbage. The station clears its cache and takes everything.
    const reset =
      c === null || c.factoryShopId !== factoryShopId || c.version > head || c.version < (fv?.min_version ?? 0);
    const from = reset ? 0 : c.version;

    const entries = await trx
      .selectFrom('feed_entries')
      .select(['order_id', 'version'])
      .where('factory_shop_id', '=', factoryShopId)
      .where('version', '>', from)
      .orderBy('version')
      .limit(limit + 1)
      .execute();
    const page = entries.slice(0, limit);
    const changes = await snapshots(trx, factoryShopId, page);
    const last = page[page.length - 1];
    return {
      reset,
      changes,
      cursor: formatCursor(factoryShopId, last ? last.version : from),
      hasMore: entries.length > limit,
    };
  });
}

async function snapshots(
  trx: Tx,
  factoryShopId: number,
  entries: { order_id: number; version: number }[],
): Promise<FactoryOrderSnapshot[]> {
  const orders = await loadOrdersById(
    trx,
    entries.map((e) => e.order_id),
    { factoryShopId },
  );
  const merchants = await loadMerchantInfo(
    trx,
    [...orders.values()].map((o) => o.row.merchant_shop_id),
  );
  return entries.map((e) => {
    const o = orders.get(e.order_id)!;
    return factorySnapshot(o, factoryShopId, e.version, merchants.get(o.row.merchant_shop_id));
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
