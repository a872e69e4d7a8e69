/**
 * M9: the merchant's risk view. The merchant carries the platform's penalty for a late or fake
 * shipment caused by a factory, so the hub shows what puts it at risk: orders whose number came back
 * late (or has not come back past the threshold), orders that turned abnormal while a label was out
 * (intercepted after printing), reprints and takeovers — each with its time and station.
 */
import { z } from 'zod';
import { IsoTimeSchema, ShopIdSchema } from './common.ts';

/** Hours from allocation to the return of the tracking number after which a return counts as late. */
export const DEFAULT_LATE_RETURN_HOURS = 24;
export const MAX_LATE_RETURN_HOURS = 24 * 30;
/** How far back the risk lists look by default. */
export const RISK_DEFAULT_DAYS = 30;
/** Entries per list; the newest are kept. */
export const RISK_LIST_LIMIT = 500;

export const RiskQuerySchema = z.strictObject({
  /** Overrides the hub's threshold (HUB_LATE_RETURN_HOURS) for this request. */
  lateHours: z.coerce.number().int().min(1).max(MAX_LATE_RETURN_HOURS).optional(),
  /** Only what happened at or after this instant (default: the last 30 days). */
  since: IsoTimeSchema.optional(),
});

const StationRefSchema = {
  stationId: z.number().int().nullable(),
  stationName: z.string().nullable(),
};

export const LateReturnSchema = z.strictObject({
  orderSn: z.string(),
  factoryShopId: ShopIdSchema,
  factoryName: z.string(),
  allocatedAt: z.string(),
  /** null: still not returned, and already past the threshold. */
  returnedAt: z.string().nullable(),
  /** Hours from allocation to the return (or to now, when not returned yet), one decimal. */
  hours: z.number(),
  waybillNo: z.string().nullable(),
  /** The station that returned it (or holds the order's claim), when known. */
  ...StationRefSchema,
});

export const InterceptSchema = z.strictObject({
  orderSn: z.string(),
  factoryShopId: ShopIdSchema,
  factoryName: z.string(),
  waybillNo: z.string(),
  /** The change that made the label stale: after_sale_opened, audit_hold, address_changed, cancelled, allocation_cancelled. */
  event: z.string(),
  at: z.string(),
  ...StationRefSchema,
});

export const ReprintSchema = z.strictObject({
  orderSn: z.string(),
  factoryShopId: ShopIdSchema,
  factoryName: z.string(),
  waybillNo: z.string(),
  reason: z.string(),
  /** When the label was printed again. */
  at: z.string(),
  ...StationRefSchema,
});

export const TakeoverSchema = z.strictObject({
  orderSn: z.string(),
  factoryShopId: ShopIdSchema,
  factoryName: z.string(),
  /** takeover: a worker took the claim over with a reason; station_revoked: its station was revoked. */
  kind: z.enum(['takeover', 'station_revoked']),
  /** The number cancelled by the takeover: a parcel labelled with it must not ship. */
  oldWaybillNo: z.string(),
  newWaybillNo: z.string(),
  reason: z.string(),
  at: z.string(),
  /** The station that took the claim over. */
  ...StationRefSchema,
  /** The station that held it before. */
  fromStationId: z.number().int().nullable(),
  fromStationName: z.string().nullable(),
});

export const RiskResponseSchema = z.strictObject({
  lateHours: z.number().int(),
  since: z.string(),
  lateReturns: z.array(LateReturnSchema),
  interceptedAfterPrinting: z.array(InterceptSchema),
  reprints: z.array(ReprintSchema),
  takeovers: z.array(TakeoverSchema),
});

export type LateReturn = z.infer<typeof LateReturnSchema>;
export type Intercept = z.infer<typeof InterceptSchema>;
export type Reprint = z.infer<typeof ReprintSchema>;
export type Takeover = z.infer<typeof TakeoverSchema>;
export type RiskResponse = z.infer<typeof RiskResponseSchema>;
