/**
 * Orders: the platform creating them and its events on them, the merchant's lists and allocation
 * (分配 / 取消分配, M3), and the masked snapshot a factory and its stations see (M4).
 */
import { z } from 'zod';
import {
  AfterSaleStateSchema,
  AllocationCancelReasonSchema,
  AllocationRefusalSchema,
  AllocationViewSchema,
  AuditStateSchema,
  BlockReasonSchema,
  IsoTimeSchema,
  LimitQuerySchema,
  MAX_BATCH,
  MaskedRecipientSchema,
  OrderItemSchema,
  OrderSnListSchema,
  OrderSnSchema,
  OrderStatusSchema,
  PageCursorSchema,
  RecipientSchema,
  ShipperSchema,
  ShopIdParamSchema,
  ShopIdSchema,
  WaybillViewSchema,
} from './common.ts';
import { ORDER_STAGE_KEYS } from '../domain/stages.ts';

export const PlatformOrderInputSchema = z.strictObject({
  sn: OrderSnSchema,
  items: z.array(OrderItemSchema).min(1).max(50),
  recipient: RecipientSchema,
  /** When the consumer placed it; defaults to the hub's clock. */
  createdAt: IsoTimeSchema.optional(),
});
export const CreatePlatformOrdersRequestSchema = z.strictObject({
  merchantShopId: ShopIdSchema,
  orders: z.array(PlatformOrderInputSchema).min(1).max(MAX_BATCH),
});
export const CreatePlatformOrdersResponseSchema = z.strictObject({
  results: z.array(
    z.strictObject({
      orderSn: z.string(),
      /** `exists`: an order with this sn is already on the platform; it was left unchanged. */
      result: z.enum(['created', 'exists']),
    }),
  ),
});

export const PLATFORM_EVENT_TYPES = [
  'address_changed',
  'after_sale_opened',
  'after_sale_closed',
  'audit_hold',
  'audit_released',
  'cancelled',
] as const;
export const PlatformEventTypeSchema = z.enum(PLATFORM_EVENT_TYPES);
export const PlatformOrderEventRequestSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('address_changed'), recipient: RecipientSchema }),
  z.strictObject({ type: z.literal('after_sale_opened') }),
  z.strictObject({ type: z.literal('after_sale_closed') }),
  z.strictObject({ type: z.literal('audit_hold') }),
  z.strictObject({ type: z.literal('audit_released') }),
  z.strictObject({ type: z.literal('cancelled') }),
]);
export const OrderSnParamsSchema = z.strictObject({ sn: OrderSnSchema });

export const OrderEventViewSchema = z.strictObject({
  type: z.string(),
  at: z.string(),
  factoryShopId: ShopIdSchema.nullable(),
  reason: z.string().nullable(),
});

/** The merchant's own view of an order: it owns the data, so the recipient is in clear. */
export const MerchantOrderSchema = z.strictObject({
  sn: z.string(),
  status: OrderStatusSchema,
  afterSale: AfterSaleStateSchema,
  audit: AuditStateSchema,
  addressVersion: z.number().int(),
  items: z.array(OrderItemSchema),
  recipient: RecipientSchema,
  createdAt: z.string(),
  /** The latest allocation, current or cancelled (with why and when). */
  allocation: AllocationViewSchema.nullable(),
  waybill: WaybillViewSchema.nullable(),
});
export const OrderStageSchema = z.enum(ORDER_STAGE_KEYS);

export const MerchantOrdersQuerySchema = z.strictObject({
  /** unallocated: never allocated or allocation cancelled; allocated: currently allocated; cancelled: latest allocation cancelled. */
  allocation: z.enum(['unallocated', 'allocated', 'cancelled']).optional(),
  factoryShopId: ShopIdParamSchema.optional(),
  status: OrderStatusSchema.optional(),
  /** unallocated: awaiting shipment, no live allocation; allocated: live, no number yet; waybill_issued / waybill_returned: its factory's number; shipped; after_sale: open; audit_hold. */
  stage: OrderStageSchema.optional(),
  /** Placed at or after / before these instants. */
  createdFrom: IsoTimeSchema.optional(),
  createdTo: IsoTimeSchema.optional(),
  /** Part of a goods name or SKU ID (no control characters: PostgreSQL text cannot hold NUL). */
  goods: z
    .string()
    .min(1)
    .max(64)
    .refine((text) => ![...text].some((c) => c < ' ' || c === '\u007f'), 'goods: no control characters')
    .optional(),
  /** Part of an order sn (the characters an sn may have). */
  sn: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'sn: letters, digits, - and _ only')
    .optional(),
  /** asc (default): oldest first; desc: newest first (the cursor then pages backwards). */
  order: z.enum(['asc', 'desc']).optional(),
  limit: LimitQuerySchema.default(50),
  /** The `nextCursor` of the previous page. */
  cursor: PageCursorSchema.optional(),
});
export const MerchantOrdersResponseSchema = z.strictObject({
  orders: z.array(MerchantOrderSchema),
  nextCursor: z.string().nullable(),
});
/** A label printed again for the same number (M9: the merchant sees every reprint and why). */
export const ReprintViewSchema = z.strictObject({
  waybillNo: z.string(),
  stationName: z.string(),
  reason: z.string(),
  printedAt: z.string(),
});
/**
 * The order's number moved from one station to another (M9): the old number was cancelled and a new
 * one issued, so a parcel labelled with the old one must not ship.
 */
export const TakeoverViewSchema = z.strictObject({
  oldWaybillNo: z.string(),
  newWaybillNo: z.string(),
  fromStationName: z.string(),
  toStationName: z.string(),
  reason: z.string(),
  at: z.string(),
});
export const MerchantOrderDetailResponseSchema = z.strictObject({
  order: MerchantOrderSchema,
  /** The order's history: created, allocated, allocation_cancelled (reason merchant|after_sale|…), platform events. */
  events: z.array(OrderEventViewSchema),
  /** Reprints of its labels, oldest first. */
  reprints: z.array(ReprintViewSchema),
  /** Takeovers between print stations, oldest first. */
  takeovers: z.array(TakeoverViewSchema),
});

export const AllocateRequestSchema = z.strictObject({ factoryShopId: ShopIdSchema, orderSns: OrderSnListSchema });
export const AllocationResultSchema = z.discriminatedUnion('result', [
  z.strictObject({ orderSn: z.string(), result: z.literal('allocated') }),
  z.strictObject({
    orderSn: z.string(),
    result: z.literal('refused'),
    reason: AllocationRefusalSchema,
    message: z.string(),
  }),
]);
export const AllocateResponseSchema = z.strictObject({ results: z.array(AllocationResultSchema) });

export const CANCEL_ALLOCATION_REFUSALS = {
  not_found: { zh: '订单不存在', en: 'Order not found' },
  not_allocated: { zh: '订单未分配', en: 'Order is not allocated' },
  waybill_returned: { zh: '已回传运单号，无法取消分配', en: 'Tracking number already returned' },
} as const;
export type CancelAllocationRefusal = keyof typeof CANCEL_ALLOCATION_REFUSALS;
export const CancelAllocationRequestSchema = z.strictObject({ orderSns: OrderSnListSchema });
export const CancelAllocationResultSchema = z.discriminatedUnion('result', [
  z.strictObject({ orderSn: z.string(), result: z.literal('cancelled') }),
  z.strictObject({
    orderSn: z.string(),
    result: z.literal('refused'),
    reason: z.enum(['not_found', 'not_allocated', 'waybill_returned']),
    message: z.string(),
  }),
]);
export const CancelAllocationResponseSchema = z.strictObject({ results: z.array(CancelAllocationResultSchema) });

export const PlatformOrderEventResponseSchema = z.strictObject({
  order: MerchantOrderSchema,
  /** Set when the event un-allocated the order automatically (M3). */
  autoUnallocated: AllocationCancelReasonSchema.nullable(),
});

// What a factory and its stations see of an order (M4).

/**
 * A full masked snapshot of one order as one factory sees it. The recipient is masked; the
 * shipper is the merchant's (the factory may print it). `version` is the factory feed version
 * of this snapshot; `printable`/`reason` come from shared `printability()`.
 */
export const FactoryOrderSnapshotSchema = z.strictObject({
  orderSn: z.string(),
  version: z.number().int(),
  merchantShopId: ShopIdSchema,
  merchantDisplayName: z.string(),
  shipper: ShipperSchema.nullable(),
  items: z.array(OrderItemSchema),
  recipient: MaskedRecipientSchema,
  status: OrderStatusSchema,
  afterSale: AfterSaleStateSchema,
  audit: AuditStateSchema,
  addressVersion: z.number().int(),
  allocation: AllocationViewSchema,
  waybill: WaybillViewSchema.nullable(),
  printable: z.boolean(),
  reason: BlockReasonSchema.nullable(),
  createdAt: z.string(),
});
export const FactoryOrdersQuerySchema = z.strictObject({
  limit: LimitQuerySchema.default(100),
  cursor: PageCursorSchema.optional(),
});
export const FactoryOrdersResponseSchema = z.strictObject({
  orders: z.array(FactoryOrderSnapshotSchema),
  nextCursor: z.string().nullable(),
});

export type PlatformOrderInput = z.input<typeof PlatformOrderInputSchema>;
export type CreatePlatformOrdersRequest = z.input<typeof CreatePlatformOrdersRequestSchema>;
export type CreatePlatformOrdersResponse = z.infer<typeof CreatePlatformOrdersResponseSchema>;
export type PlatformEventType = z.infer<typeof PlatformEventTypeSchema>;
export type PlatformOrderEventRequest = z.infer<typeof PlatformOrderEventRequestSchema>;
export type PlatformOrderEventResponse = z.infer<typeof PlatformOrderEventResponseSchema>;
export type OrderEventView = z.infer<typeof OrderEventViewSchema>;
export type MerchantOrder = z.infer<typeof MerchantOrderSchema>;
export type MerchantOrdersQuery = z.input<typeof MerchantOrdersQuerySchema>;
export type MerchantOrdersResponse = z.infer<typeof MerchantOrdersResponseSchema>;
export type MerchantOrderDetailResponse = z.infer<typeof MerchantOrderDetailResponseSchema>;
export type ReprintView = z.infer<typeof ReprintViewSchema>;
export type TakeoverView = z.infer<typeof TakeoverViewSchema>;
export type AllocateRequest = z.infer<typeof AllocateRequestSchema>;
export type AllocationResult = z.infer<typeof AllocationResultSchema>;
export type AllocateResponse = z.infer<typeof AllocateResponseSchema>;
export type CancelAllocationRequest = z.infer<typeof CancelAllocationRequestSchema>;
export type CancelAllocationResult = z.infer<typeof CancelAllocationResultSchema>;
export type CancelAllocationResponse = z.infer<typeof CancelAllocationResponseSchema>;
export type FactoryOrderSnapshot = z.infer<typeof FactoryOrderSnapshotSchema>;
export type FactoryOrdersResponse = z.infer<typeof FactoryOrdersResponseSchema>;
