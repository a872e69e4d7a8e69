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
  printing_elsewhere: { zh: '其他打印站正在打印此单', en: 'Being printed by another station' },
} as const;

export type BlockReason = keyof typeof BLOCK_REASONS;

/**
 * Why the hub rejects a station's mutation (回传, 取消, 重打) because of the number itself, beside the
 * order's block reasons.
 */
export const WAYBILL_REJECTIONS = {
  waybill_not_current: { zh: '运单号不是该订单当前的运单', en: 'Not the current tracking number of this order' },
  /** A returned number can be cancelled (M5) until the merchant ships the order. */
  waybill_shipped: {
    zh: '订单已发货，运单号不能取消',
    en: 'Order already shipped: the tracking number cannot be cancelled',
  },
  waybill_cancelled: { zh: '运单号已取消', en: 'Tracking number cancelled' },
  /** Another station of the factory holds the order's claim (D10): this station's label is not the live one. */
  taken_over: { zh: '此单已被其他打印站接管', en: 'Taken over by another station' },
} as const;

export type WaybillRejection = keyof typeof WAYBILL_REJECTIONS;

/** Added to a rejection whose parcel must be pulled (拦截): its label is no longer good to ship. */
export const INTERCEPT_SUFFIX = { zh: '，请拦截该包裹', en: ': pull this parcel' } as const;

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

/** The words of a rejected mutation: the reason, and the call to pull the parcel when it must be intercepted. */
export function mutationRejectionText(
  reason: BlockReason | WaybillRejection,
  intercept: boolean,
  lang: Lang = 'zh',
): string {
  const base =
    reason in WAYBILL_REJECTIONS
      ? WAYBILL_REJECTIONS[reason as WaybillRejection]
      : BLOCK_REASONS[reason as BlockReason];
  return base[lang] + (intercept ? INTERCEPT_SUFFIX[lang] : '');
}

export function allocationRefusalText(reason: AllocationRefusal, lang: Lang = 'zh'): string {
  return ALLOCATION_REFUSALS[reason][lang];
}
