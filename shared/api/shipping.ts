/** Return addresses (退货地址) and shipping (发货, M6). */
import { z } from 'zod';
import { CourierSchema, MAX_BATCH, OrderSnSchema } from './common.ts';

const text = (max: number) => z.string().max(max);

// Return addresses (退货地址) and shipments (M6)

export const ReturnAddressInputSchema = z.strictObject({
  name: text(64).min(1),
  phone: text(32).min(1),
  address: text(256).min(1),
  isDefault: z.boolean().optional(),
});
export type ReturnAddressInput = z.infer<typeof ReturnAddressInputSchema>;

export const ReturnAddressSchema = z.strictObject({
  id: z.number().int(),
  name: z.string(),
  phone: z.string(),
  address: z.string(),
  isDefault: z.boolean(),
  createdAt: z.string(),
});
export type ReturnAddress = z.infer<typeof ReturnAddressSchema>;

export const ReturnAddressListSchema = z.strictObject({ returnAddresses: z.array(ReturnAddressSchema) });
export const ReturnAddressIdParamSchema = z.strictObject({ id: z.coerce.number().int().positive().max(2_147_483_647) });

export const ShipmentsRequestSchema = z.strictObject({
  orderSns: z.array(OrderSnSchema).min(1).max(MAX_BATCH),
  returnAddressId: z.number().int().positive().max(2_147_483_647),
});
export type ShipmentsRequest = z.infer<typeof ShipmentsRequestSchema>;

export const ShipmentRefusalSchema = z.enum([
  'not_found',
  'not_allocated',
  'not_returned',
  'already_shipped',
  'order_cancelled',
]);
export type ShipmentRefusal = z.infer<typeof ShipmentRefusalSchema>;

export const SHIPMENT_REFUSALS: Record<ShipmentRefusal, string> = {
  not_found: '订单不存在',
  not_allocated: '订单未分配给厂家',
  not_returned: '厂家尚未回传运单号，无法发货',
  already_shipped: '订单已发货',
  order_cancelled: '订单已取消',
};

export const ShipmentResultSchema = z.discriminatedUnion('status', [
  z.strictObject({
    orderSn: z.string(),
    status: z.literal('shipped'),
    waybillNo: z.string(),
    courier: CourierSchema,
    shippedAt: z.string(),
    /** After-sale opened after the return: shipping goes ahead (handled offline), but the merchant is told. */
    warning: z.strictObject({ code: z.literal('after_sale_after_return'), message: z.string() }).optional(),
  }),
  z.strictObject({
    orderSn: z.string(),
    status: z.literal('refused'),
    reason: ShipmentRefusalSchema,
    message: z.string(),
  }),
]);
export type ShipmentResult = z.infer<typeof ShipmentResultSchema>;
export const ShipmentsResponseSchema = z.strictObject({ results: z.array(ShipmentResultSchema) });
