/**
 * 备货单 rows for a batch: each SKU with its goods name, spec, total quantity and number of orders,
 * sorted by SKU, from the cached orders of the batch's labels (blocked and cancelled labels excluded).
 */
import type { PickingRow } from '../../../shared/ipc/index.ts';
import type { StationDb } from '../../data/db.ts';

export async function pickingRows(db: StationDb, batchId: number): Promise<PickingRow[]> {
  const items = await db.jobItems.where('[batchId+seq]').between([batchId, 0], [batchId, Infinity]).toArray();
  const live = items.filter((i) => i.state !== 'blocked' && i.state !== 'cancelled');
  const orders = await db.orders.bulkGet(live.map((i) => i.orderSn));
  const rows = new Map<string, PickingRow>();
  for (const o of orders) {
    if (!o) continue;
    for (const it of o.items) {
      const r = rows.get(it.skuId) ?? {
        skuId: it.skuId,
        goodsName: it.goodsName,
        spec: it.spec,
        quantity: 0,
        orderCount: 0,
      };
      r.quantity += it.quantity;
      r.orderCount += 1;
      rows.set(it.skuId, r);
    }
  }
  return [...rows.values()].sort((a, b) => a.skuId.localeCompare(b.skuId));
}
