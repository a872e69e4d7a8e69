/** Shops and their one role (M1): the platform creates a shop; the shop chooses merchant or factory. */
import { z } from 'zod';
import { ShipperSchema, ShopIdSchema } from './common.ts';

export const CreateShopRequestSchema = z.strictObject({ name: z.string().min(1).max(64) });
export const CreateShopResponseSchema = z.strictObject({ shopId: ShopIdSchema, token: z.string() });

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

export type CreateShopRequest = z.infer<typeof CreateShopRequestSchema>;
export type CreateShopResponse = z.infer<typeof CreateShopResponseSchema>;
export type SetRoleRequest = z.infer<typeof SetRoleRequestSchema>;
export type MeResponse = z.infer<typeof MeResponseSchema>;
