/** Settlement prices (结算价格, M8): set one by one or imported from CSV, with their history. */
import { z } from 'zod';
import { MAX_BATCH, ShopIdSchema } from './common.ts';

const text = (max: number) => z.string().max(max);

// Settlement prices (结算价格, M8)

export const MAX_PRICE_FEN = 100_000_000;

export const PriceInputSchema = z.strictObject({
  merchantShopId: ShopIdSchema,
  skuId: text(64).min(1),
  priceFen: z.number().int().min(0).max(MAX_PRICE_FEN),
});
/** PUT /v1/factory/prices takes the bare array, as DESIGN §3 sketches it. */
export const PutPricesRequestSchema = z.array(PriceInputSchema).min(1).max(MAX_BATCH);
export type PutPricesRequest = z.infer<typeof PutPricesRequestSchema>;

export const PriceSchema = z.strictObject({
  merchantShopId: ShopIdSchema,
  skuId: z.string(),
  priceFen: z.number().int(),
  /** When this price took effect. A statement uses the price in force when the tracking number was returned. */
  validFrom: z.string(),
});
export type Price = z.infer<typeof PriceSchema>;

export const PricesQuerySchema = z.strictObject({
  merchantShopId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  /** `history=1` lists every price ever set, oldest first, instead of those in force. */
  history: z.enum(['0', '1']).optional(),
});
export const PricesResponseSchema = z.strictObject({ prices: z.array(PriceSchema) });

/** Rows a price CSV may hold; the whole file is one transaction. */
export const MAX_PRICE_IMPORT_ROWS = 5000;
export const ImportPricesRequestSchema = z.strictObject({ csv: z.string().min(1).max(1_000_000) });

/** A SKU in orders allocated to this factory that has no settlement price in force (a statement would flag it). */
export const MissingPriceSchema = z.strictObject({
  merchantShopId: ShopIdSchema,
  merchantDisplayName: z.string(),
  skuId: z.string(),
  goodsName: z.string(),
  spec: z.string(),
  orderCount: z.number().int(),
});
export type MissingPrice = z.infer<typeof MissingPriceSchema>;
export const MissingPricesResponseSchema = z.strictObject({ missing: z.array(MissingPriceSchema) });
