/**
 * Where an order stands in the seed's flow, as a merchant reads its list: 待分配, 已分配, 已取号,
 * 已回传, 已发货, 售后中, 审核中. The hub filters by these (shared/api MerchantOrdersQuery `stage`);
 * the console labels each order with `orderStage()`.
 */
import type { OrderState } from './types.ts';

export const ORDER_STAGES = {
  unallocated: { zh: '待分配', en: 'To allocate' },
  allocated: { zh: '已分配', en: 'Allocated' },
  waybill_issued: { zh: '已取号', en: 'Number issued' },
  waybill_returned: { zh: '已回传', en: 'Number returned' },
  shipped: { zh: '已发货', en: 'Shipped' },
  after_sale: { zh: '售后中', en: 'Under after-sale' },
  audit_hold: { zh: '审核中', en: 'Under audit' },
} as const;

export type OrderStage = keyof typeof ORDER_STAGES;
export const ORDER_STAGE_KEYS = Object.keys(ORDER_STAGES) as [OrderStage, ...OrderStage[]];

/** The one stage an order shows; null for a cancelled order (it has left the flow). */
export function orderStage(
  o: Pick<OrderState, 'status' | 'afterSale' | 'audit' | 'allocation' | 'waybill'>,
): OrderStage | null {
  if (o.status === 'cancelled') return null;
  if (o.status === 'shipped') return 'shipped';
  if (o.afterSale === 'open') return 'after_sale';
  if (o.audit === 'hold') return 'audit_hold';
  const live = o.allocation?.status === 'allocated';
  if (live && o.waybill?.status === 'returned') return 'waybill_returned';
  if (live && o.waybill?.status === 'issued') return 'waybill_issued';
  if (live) return 'allocated';
  return 'unallocated';
}
