/**
 * Building blocks shared by every hub schema: ids, the error body, recipients, items.
 * zod 4, strict objects everywhere: an unknown field is a 400, never silently dropped.
 */
import { z } from 'zod';
import { ALLOCATION_REFUSALS, BLOCK_REASONS } from '../domain/reasons.ts';
import { COURIERS } from '../domain/couriers.ts';
import type { AllocationRefusal, BlockReason } from '../domain/reasons.ts';

/** Upper bound of every list an endpoint takes (orders per allocation, sns per check…). */
export const MAX_BATCH = 1000;

export const ShopIdSchema = z.number().int().positive().max(2_147_483_647);
/** Path and query values arrive as text. */
export const ShopIdParamSchema = z.coerce.number().int().positive().max(2_147_483_647);
export const OrderSnSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'order sn: letters, digits, - and _ only');
export const IsoTimeSchema = z.iso.datetime({ offset: true });

export const ErrorBodySchema = z.strictObject({
  error: z.strictObject({ code: z.string(), message: z.string() }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/**
 * Every code the hub answers with. Clients switch on the code, never on the message; the hub maps
 * each one to its HTTP status in one place (server/http/error-status.ts).
 */
export const ERROR_CODES = [
  'VALIDATION_ERROR',
  'BAD_REQUEST',
  'INVALID_JSON',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'ROLE_REQUIRED',
  'ROLE_LOCKED',
  'NOT_FOUND',
  'SHOP_NOT_FOUND',
  'NOT_A_MERCHANT',
  'FACTORY_NOT_FOUND',
  'BINDING_EXISTS',
  'BINDING_NOT_FOUND',
  'BINDING_NOT_PENDING',
  'ORDER_NOT_FOUND',
  'ORDER_CANCELLED',
  'ORDER_SHIPPED',
  'PAIRING_CODE_INVALID',
  'STATION_NOT_FOUND',
  'TEST_CLOCK_DISABLED',
  'CONFLICT',
  'RATE_LIMITED',
  'MUTATION_GAP',
  'STATEMENT_LIMIT',
  'STATEMENT_NOT_FOUND',
  'STATEMENT_NOT_READY',
  'RETURN_ADDRESS_NOT_FOUND',
  'NOT_BOUND',
  'PRICE_CSV_INVALID',
  'LOGIN_LINK_INVALID',
  'LOGIN_LINK_USED',
  'LOGIN_LINK_EXPIRED',
  'CSRF_FAILED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const text = (max: number) => z.string().max(max);

export const RecipientSchema = z.strictObject({
  name: text(64).min(1),
  phone: text(32).min(1),
  province: text(32),
  city: text(32),
  district: text(32),
  detail: text(256).min(1),
});

export const MaskedRecipientSchema = z.strictObject({
  name: z.string(),
  phone: z.string(),
  province: z.string(),
  city: z.string(),
  district: z.string(),
  detail: z.string(),
});

export const OrderItemSchema = z.strictObject({
  goodsId: text(64).min(1),
  skuId: text(64).min(1),
  goodsName: text(128).min(1),
  spec: text(128),
  quantity: z.number().int().min(1).max(9999),
});

export const ShipperSchema = z.strictObject({
  name: text(64).min(1),
  phone: text(32).min(1),
  address: text(256).min(1),
});

export const RoleSchema = z.enum(['merchant', 'factory']);
export const OrderStatusSchema = z.enum(['awaiting_shipment', 'shipped', 'cancelled']);
export const AfterSaleStateSchema = z.enum(['none', 'open', 'closed']);
export const AuditStateSchema = z.enum(['none', 'hold', 'released']);
export const AllocationStatusSchema = z.enum(['allocated', 'cancelled']);
export const AllocationCancelReasonSchema = z.enum(['merchant', 'after_sale', 'audit_hold', 'order_cancelled']);
export const CourierSchema = z.enum(COURIERS);
export const WaybillStatusSchema = z.enum(['issued', 'returned', 'cancelled']);
export const BindingStatusSchema = z.enum(['pending', 'accepted', 'rejected']);

export const BlockReasonSchema = z.enum(Object.keys(BLOCK_REASONS) as [BlockReason, ...BlockReason[]]);
export const AllocationRefusalSchema = z.enum(
  Object.keys(ALLOCATION_REFUSALS) as [AllocationRefusal, ...AllocationRefusal[]],
);

export const AllocationViewSchema = z.strictObject({
  factoryShopId: ShopIdSchema,
  status: AllocationStatusSchema,
  allocatedAt: z.string(),
  cancelledAt: z.string().nullable(),
  cancelReason: AllocationCancelReasonSchema.nullable(),
});

/** The live station a waybill number was issued to (D10). */
export const WaybillClaimSchema = z.strictObject({
  stationId: z.number().int(),
  stationName: z.string(),
  claimedAt: z.string(),
});

export const WaybillViewSchema = z.strictObject({
  waybillNo: z.string(),
  courier: CourierSchema,
  addressVersion: z.number().int(),
  status: WaybillStatusSchema,
  issuedAt: z.string(),
  returnedAt: z.string().nullable(),
  /** null: no live station holds it (never claimed, or its station was revoked). */
  claim: WaybillClaimSchema.nullable(),
});

export const OrderSnListSchema = z.array(OrderSnSchema).min(1).max(MAX_BATCH);

/** `?limit=` on paged lists. */
export const LimitQuerySchema = z.coerce.number().int().min(1).max(MAX_BATCH);

/** `nextCursor` of a paged list: a row id, as text. */
export const PageCursorSchema = z
  .string()
  .regex(/^\d{1,10}$/, 'cursor: the nextCursor of the previous page')
  .refine((s) => Number(s) <= 2_147_483_647, 'cursor out of range');

/** `:id` of a binding or a station. */
export const IdParamsSchema = z.strictObject({ id: ShopIdParamSchema });
