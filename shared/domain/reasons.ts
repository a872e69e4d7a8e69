/**
 * Every reason the rules can give, with its words in both UI languages.
 * One home: the hub's error messages, the guard's block reasons and the UI all read these.
 */
export const BLOCK_REASONS = {
  after_sale: { zh: '订单售后中', en: 'Under after-sale' },
  audit_hold: { zh: '订单审核中', en: 'Under audit' },
  address_changed: { zh: '收货信息已变更，运单已失效', en: 'Address changed after the waybill was issued' },
  allocation_cancelled: { zh: '已取消分配', en: 'Allocation cancelled' },
  not_allocated: { zh: '订单未分配给本厂家', en: 'Not allocated to this factory' },
  order_cancelled: { zh: '订单已取消', en: 'Order cancelled' },
  order_shipped: { zh: '订单已发货', en: 'Order already shipped' },
  waybill_returned: { zh: '已回传运单号（补打需走重打流程）', en: 'Tracking number already returned (use reprint)' },
} as const;

export type BlockReason = keyof typeof BLOCK_REASONS;

export const ALLOCATION_REFUSALS = {
  after_sale: { zh: '订单售后中，无法分配', en: 'Under after-sale: cannot allocate' },
  audit_hold: { zh: '订单审核中，无法分配', en: 'Under audit: cannot allocate' },
  not_bound: { zh: '未与该厂家绑定', en: 'Not bound to this factory' },
  already_allocated: { zh: '订单已分配', en: 'Already allocated' },
  order_shipped: { zh: '订单已发货', en: 'Already shipped' },
  order_cancelled: { zh: '订单已取消', en: 'Order cancelled' },
  not_found: { zh: '订单不存在', en: 'Order not found' },
} as const;

export type AllocationRefusal = keyof typeof ALLOCATION_REFUSALS;

export type Lang = 'zh' | 'en';

/** M2: the merchant's error for an ID that is not a factory's shop ID, word for word from the seed. */
export const FACTORY_NOT_FOUND_TEXT = '请输入正确的厂家店铺ID';

export function blockReasonText(reason: BlockReason, lang: Lang = 'zh'): string {
  return BLOCK_REASONS[reason][lang];
}

export function allocationRefusalText(reason: AllocationRefusal, lang: Lang = 'zh'): string {
  return ALLOCATION_REFUSALS[reason][lang];
}
