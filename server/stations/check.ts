/**
 * The guard's check (D4): printability from shared `printability()` for the asking station's factory,
 * the version of each order's latest feed snapshot, and who holds its number (D10).
 */
import { printability } from '../../shared/domain/rules.ts';
import type { CheckResult } from '../../shared/api/stations.ts';
import type { HubContext } from '../context.ts';
import { loadOrdersBySn, orderStateOf } from '../orders/orders.ts';
import { chunks, readTx } from '../db/tx.ts';
import { inList } from '../db/sql.ts';

/**
 * The guard's check: printability from shared `printability()` for this factory and the asking
 * station (an issued number held by another live station is `printing_elsewhere`), the version of
 * the order's latest snapshot, and who holds its number. An order that is not this factory's —
 * unknown, another merchant's, another factory's — answers exactly like one that does not exist.
 */
export async function checkOrders(
  ctx: HubContext,
  station: { factoryShopId: number; stationId: number },
  orderSns: string[],
): Promise<CheckResult[]> {
  const { factoryShopId, stationId } = station;
  return readTx(ctx, async (trx) => {
    const orders = await loadOrdersBySn(trx, orderSns, { factoryShopId });
    const versions = new Map<number, number>();
    const ids = [...orders.values()].filter((o) => o.allocation !== null).map((o) => o.row.id);
    for (const part of chunks(ids, 1000)) {
      const rows = await trx
        .selectFrom('feed_entries')
        .select(['order_id', 'version'])
        .where('factory_shop_id', '=', factoryShopId)
        .where(inList(trx, 'order_id', part))
        .execute();
      for (const r of rows) versions.set(r.order_id, r.version);
    }
    return orderSns.map((sn): CheckResult => {
      const o = orders.get(sn);
      if (!o || !o.allocation) {
        return { orderSn: sn, printable: false, reason: 'not_allocated', version: 0, addressVersion: 0, claim: null };
      }
      const state = orderStateOf(o);
      const p = printability(state, { factoryShopId, stationId });
      const claim = state.waybill?.claim ?? null;
      return {
        orderSn: sn,
        printable: p.printable,
        reason: p.printable ? null : p.reason,
        version: versions.get(o.row.id) ?? 0,
        addressVersion: o.row.address_version,
        claim: claim && { stationId: claim.stationId, stationName: claim.stationName },
      };
    });
  });
}
