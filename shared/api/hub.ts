/**
 * Request and response schemas of the hub core (issue 3): platform, roles, binding,
 * merchant orders and allocation, factory stations, station feed and guard check.
 * The server validates with these and clients parse with them.
 */
import { z } from 'zod';
import {
  AfterSaleStateSchema,
  AllocationCancelReasonSchema,
  AllocationRefusalSchema,
  AllocationViewSchema,
  AuditStateSchema,
  BindingStatusSchema,
  BlockReasonSchema,
  IsoTimeSchema,
  LimitQuerySchema,
  MAX_BATCH,
  MaskedRecipientSchema,
  OrderItemSchema,
  OrderSnListSchema,
  OrderSnSchema,
  OrderStatusSchema,
  RecipientSchema,
  ShipperSchema,
  ShopIdParamSchema,
  ShopIdSchema,
  WaybillViewSchema,
} from './common.ts';
import { ORDER_STAGE_KEYS } from '../domain/stages.ts';

/** `nextCursor` of a paged list: a row id, as text. */
export const PageCursorSchema = z
  .string()
  .regex(/^\d{1,10}$/, 'cursor: the nextCursor of the previous page')
  .refine((s) => Number(s) <= 2_147_483_647, 'cursor out of range');

// ───────────────────────── platform (admin token) ─────────────────────────

export const CreateShopRequestSchema = z.strictObject({ name: z.string().min(1).max(64) });
export const CreateShopResponseSchema = z.strictObject({ shopId: ShopIdSchema, token: z.string() });

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

export const PlatformClockRequestSchema = z.strictObject({ now: IsoTimeSchema });
export const PlatformClockResponseSchema = z.strictObject({ now: z.string() });

// ───────────────────────── roles (M1) ─────────────────────────

export const MerchantProfileSchema = z.strictObject({
  role: z.literal('merchant'),
  displayName: z.string().min(1).max(64),
  shipper: ShipperSchema,
});
export const FactoryProfileSchema = z.strictObject({
  role: z.literal('factory'),
  /** The factory's name; defaults to the shop's name. */
  name: z.string().min(1).max(64).optional(),
});
export const SetRoleRequestSchema = z.discriminatedUnion('role', [MerchantProfileSchema, FactoryProfileSchema]);

export const MeResponseSchema = z.strictObject({
  shopId: ShopIdSchema,
  name: z.string(),
  profile: z
    .discriminatedUnion('role', [
      MerchantProfileSchema,
      z.strictObject({ role: z.literal('factory'), name: z.string() }),
    ])
    .nullable(),
});

// ───────────────────────── binding (M2) ─────────────────────────

export const BindingViewSchema = z.strictObject({
  id: z.number().int(),
  merchantShopId: ShopIdSchema,
  factoryShopId: ShopIdSchema,
  /** The merchant's display name (what the factory sees) */
  merchantDisplayName: z.string(),
  factoryName: z.string(),
  status: BindingStatusSchema,
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
});
export const CreateBindingRequestSchema = z.strictObject({ factoryShopId: ShopIdSchema });
export const BindingResponseSchema = z.strictObject({ binding: BindingViewSchema });
export const BindingListResponseSchema = z.strictObject({ bindings: z.array(BindingViewSchema) });
export const IdParamsSchema = z.strictObject({ id: ShopIdParamSchema });

// ───────────────────────── merchant orders and allocation (M3) ─────────────────────────

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

// ───────────────────────── what a factory and its stations see (M4) ─────────────────────────

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

// ───────────────────────── stations (pairing, list, revoke) ─────────────────────────

export const PairingCodeResponseSchema = z.strictObject({ code: z.string(), expiresAt: z.string() });
export const StationViewSchema = z.strictObject({
  stationId: z.number().int(),
  name: z.string(),
  pairedAt: z.string(),
  revokedAt: z.string().nullable(),
});
export const StationListResponseSchema = z.strictObject({ stations: z.array(StationViewSchema) });
export const StationResponseSchema = z.strictObject({ station: StationViewSchema });

export const PairStationRequestSchema = z.strictObject({
  code: z.string().min(1).max(32),
  name: z.string().min(1).max(64),
});
export const PairStationResponseSchema = z.strictObject({
  stationId: z.number().int(),
  factoryShopId: ShopIdSchema,
  token: z.string(),
  /** base64 of 32 random bytes: the key print payloads for this station are sealed with. */
  payloadKey: z.string(),
});
export const StationMeResponseSchema = z.strictObject({
  stationId: z.number().int(),
  name: z.string(),
  factoryShopId: ShopIdSchema,
  factoryName: z.string(),
});

// ───────────────────────── feed (D1) and guard check (D4) ─────────────────────────

export const FEED_DEFAULT_LIMIT = 500;
export const FeedQuerySchema = z.strictObject({
  /** Opaque; absent on the first pull. An unknown or too-old cursor gets a reset. */
  cursor: z.string().max(128).optional(),
  limit: LimitQuerySchema.default(FEED_DEFAULT_LIMIT),
});
export const FeedResponseSchema = z.strictObject({
  /** true: drop every cached order first, then apply `changes` (this and the following pages). */
  reset: z.boolean(),
  changes: z.array(FactoryOrderSnapshotSchema),
  cursor: z.string(),
  hasMore: z.boolean(),
});

export const CheckRequestSchema = z.strictObject({ orderSns: OrderSnListSchema });
export const CheckResultSchema = z.strictObject({
  orderSn: z.string(),
  printable: z.boolean(),
  reason: BlockReasonSchema.nullable(),
  /** The factory feed version of the order's latest snapshot (0 when not allocated to this factory). */
  version: z.number().int(),
  /** The order's current address version; a waybill issued at a lower one is stale (M7). */
  addressVersion: z.number().int(),
  /** The live station holding the order's number, so every station can show who prints it (D10). */
  claim: z.strictObject({ stationId: z.number().int(), stationName: z.string() }).nullable(),
});
export const CheckResponseSchema = z.strictObject({ results: z.array(CheckResultSchema) });

// ───────────────────────── inferred types ─────────────────────────

export type CreateShopRequest = z.infer<typeof CreateShopRequestSchema>;
export type CreateShopResponse = z.infer<typeof CreateShopResponseSchema>;
export type PlatformOrderInput = z.input<typeof PlatformOrderInputSchema>;
export type CreatePlatformOrdersRequest = z.input<typeof CreatePlatformOrdersRequestSchema>;
export type CreatePlatformOrdersResponse = z.infer<typeof CreatePlatformOrdersResponseSchema>;
export type PlatformEventType = z.infer<typeof PlatformEventTypeSchema>;
export type PlatformOrderEventRequest = z.infer<typeof PlatformOrderEventRequestSchema>;
export type PlatformOrderEventResponse = z.infer<typeof PlatformOrderEventResponseSchema>;
export type PlatformClockRequest = z.infer<typeof PlatformClockRequestSchema>;
export type SetRoleRequest = z.infer<typeof SetRoleRequestSchema>;
export type MeResponse = z.infer<typeof MeResponseSchema>;
export type BindingView = z.infer<typeof BindingViewSchema>;
export type CreateBindingRequest = z.infer<typeof CreateBindingRequestSchema>;
export type BindingResponse = z.infer<typeof BindingResponseSchema>;
export type BindingListResponse = z.infer<typeof BindingListResponseSchema>;
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
export type PairingCodeResponse = z.infer<typeof PairingCodeResponseSchema>;
export type StationView = z.infer<typeof StationViewSchema>;
export type StationListResponse = z.infer<typeof StationListResponseSchema>;
export type PairStationRequest = z.infer<typeof PairStationRequestSchema>;
export type PairStationResponse = z.infer<typeof PairStationResponseSchema>;
export type StationMeResponse = z.infer<typeof StationMeResponseSchema>;
export type FeedQuery = z.input<typeof FeedQuerySchema>;
export type FeedResponse = z.infer<typeof FeedResponseSchema>;
export type CheckRequest = z.infer<typeof CheckRequestSchema>;
export type CheckResult = z.infer<typeof CheckResultSchema>;
export type CheckResponse = z.infer<typeof CheckResponseSchema>;
