/**
 * What a scanned code means (扫码打印), decided against the local cache, then printed through the same
 * batch runner (and so the same guard) as any batch:
 * - an order sn prints that order;
 * - a SKU code prints the next printable single-SKU order of that SKU (oldest first);
 * - a tracking number shows its order and print history.
 */
import type { StationRuntime } from '../../engines/runtime.ts';
import type { JobItemRow, OrderRow, PrintLogRow } from '../../data/db.ts';

export type ScanResult =
  | { kind: 'printed'; code: string; order: OrderRow; item: JobItemRow }
  | { kind: 'blocked'; code: string; order: OrderRow; item: JobItemRow | null; reasonText: string }
  | { kind: 'failed'; code: string; order: OrderRow; item: JobItemRow }
  | { kind: 'history'; code: string; order: OrderRow; log: PrintLogRow[] }
  | { kind: 'not_found'; code: string; message: string };

export async function handleScan(
  runtime: StationRuntime,
  raw: string,
  opts: {
    printerId: string;
    courier: OrderRow['courier'] & string;
    describe: (order: OrderRow, item: JobItemRow | null) => string;
    nothingForSku: string;
    notFound: string;
  },
): Promise<ScanResult> {
  const code = raw.trim();
  const db = runtime.db;
  let order = await db.orders.get(code);
  if (!order) {
    const byWaybill = await db.orders.where('waybillNo').equals(code).first();
    if (byWaybill) {
      const log = await db.printLog.where('orderSn').equals(byWaybill.orderSn).toArray();
      return { kind: 'history', code, order: byWaybill, log };
    }
    const me = runtime.info()?.stationId;
    const candidates = await db.orders.where('singleSku').equals(code).toArray();
    if (candidates.length > 0) {
      const next = candidates
        .filter((o) => o.view === 'printable' && (o.claim === null || o.claim.stationId === me))
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
      if (!next) return { kind: 'not_found', code, message: opts.nothingForSku };
      order = next;
    }
  }
  if (!order) return { kind: 'not_found', code, message: opts.notFound };
  if (order.view !== 'printable' && order.view !== 'blocked') {
    return { kind: 'blocked', code, order, item: null, reasonText: opts.describe(order, null) };
  }
  const batchId = await runtime.runner.createBatch({
    orderSns: [order.orderSn],
    printerId: opts.printerId,
    courier: opts.courier,
    name: `扫码 ${order.orderSn}`,
  });
  await runtime.runner.start(batchId);
  const item = (await db.jobItems.where('[batchId+seq]').equals([batchId, 0]).first())!;
  if (item.state === 'sent') return { kind: 'printed', code, order, item };
  if (item.state === 'blocked') return { kind: 'blocked', code, order, item, reasonText: opts.describe(order, item) };
  return { kind: 'failed', code, order, item };
}
