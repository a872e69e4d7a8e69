/**
 * Turns an opened print payload into the label's data. Runs only in the main process: the payload
 * holds the full street address, which never reaches the renderer (M4, DESIGN.md §8).
 */
import type { PrintPayload } from '../../shared/api/print-payload.ts';
import { COURIER_NAMES } from '../../shared/domain/index.ts';
import type { LabelData } from '../../shared/label/index.ts';

export function labelDataFromPayload(p: PrintPayload, printedAt: string): LabelData {
  const r = p.receiver;
  return {
    waybillNo: p.waybillNo,
    courier: { code: p.courier, name: COURIER_NAMES[p.courier] },
    routingCode: p.routing.sortCode,
    bigPen: p.routing.bigPen,
    packageCenter: { name: p.routing.packageCenter.name, code: p.routing.packageCenter.code },
    pieces: { index: p.pieces.index, total: p.pieces.total },
    receiver: { name: r.name, phone: r.phone, address: joinAddress(r.province, r.city, r.district, r.detail) },
    sender: { name: p.shipper.name, phone: p.shipper.phone, address: p.shipper.address },
    items: p.items.map((i) => ({ goodsName: i.goodsName, spec: i.spec, quantity: i.quantity })),
    orderSn: p.orderSn,
    printedAt,
    qrPayload: p.waybillNo,
  };
}

/** "北京市 北京市 朝阳区" reads badly: a municipality's city repeats its province. */
function joinAddress(province: string, city: string, district: string, detail: string): string {
  const parts = [province, city === province ? '' : city, district, detail].filter((s) => s.trim() !== '');
  return parts.join('');
}
