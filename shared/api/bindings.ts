/** Merchant ⇄ factory binding (M2). */
import { z } from 'zod';
import { BindingStatusSchema, ShopIdSchema } from './common.ts';

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

export type BindingView = z.infer<typeof BindingViewSchema>;
export type CreateBindingRequest = z.infer<typeof CreateBindingRequestSchema>;
export type BindingResponse = z.infer<typeof BindingResponseSchema>;
export type BindingListResponse = z.infer<typeof BindingListResponseSchema>;
