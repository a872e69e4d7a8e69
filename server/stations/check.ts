/**
 * The guard's check (D4): printability from shared `printability()` for the asking station's factory,
 * the version of each order's latest feed snapshot, and who holds its number (D10).
 */
import { printability } from '../../shared/domain/rules.ts';
import type { CheckResult } from '../../shared/api/stations.ts';
import type { HubContext } from '../context.ts';
import { loadOrdersBySn, orderStateOf } from '../orders/orders.ts';

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
  // One statement: one snapshot of each order, its waybill and its feed version, with no transaction.
  const orders = await loadOrdersBySn(ctx.db, orderSns, { factoryShopId, withFeedVersion: true });
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
      version: o.feedVersion ?? 0,
      addressVersion: o.row.address_version,
      claim: claim && { stationId: claim.stationId, stationName: claim.stationName },
    };
  });
}
