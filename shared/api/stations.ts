/** Print stations: pairing, the factory's list, the feed a station pulls (D1) and the guard's check (D4). */
import { z } from 'zod';
import { BlockReasonSchema, OrderSnListSchema, ShopIdSchema, LimitQuerySchema } from './common.ts';
import { FactoryOrderSnapshotSchema } from './orders.ts';

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

// The feed (D1) and the guard check (D4).

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
