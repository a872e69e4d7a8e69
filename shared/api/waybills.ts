/**
 * Waybill numbers (取号, M5, D10) and the station's exactly-once push of returns, cancellations and
 * reprints (回传运单号, DESIGN §4).
 */
import { z } from 'zod';
import { WAYBILL_REJECTIONS, type WaybillRejection } from '../domain/reasons.ts';
import { BlockReasonSchema, CourierSchema, IsoTimeSchema, OrderSnSchema } from './common.ts';

const text = (max: number) => z.string().max(max);

// POST /v1/station/waybills

export const MAX_WAYBILLS_PER_REQUEST = 100;

/** A reason a person gives (takeover, reprint): trimmed, 1 to 200 characters. */
const ReasonSchema = z.string().trim().min(1).max(200);

export const WaybillsRequestSchema = z.strictObject({
  orderSns: z.array(OrderSnSchema).min(1).max(MAX_WAYBILLS_PER_REQUEST),
  courier: CourierSchema,
  /**
   * Take over orders whose number another station of the factory holds (D10): the hub cancels that
   * number, issues a new one to the caller and records who took it from whom, and why. Abnormal
   * orders are refused all the same.
   */
  takeover: z.strictObject({ reason: ReasonSchema }).optional(),
});
export type WaybillsRequest = z.infer<typeof WaybillsRequestSchema>;

export const WaybillResultSchema = z.discriminatedUnion('status', [
  z.strictObject({
    orderSn: z.string(),
    status: z.literal('issued'),
    waybillNo: z.string(),
    courier: CourierSchema,
    addressVersion: z.number().int(),
    /** True when this is the number issued earlier (idempotent repeat), false when newly issued. */
    reused: z.boolean(),
    /** Present (true) when this number replaced another station's by a takeover. */
    takenOver: z.boolean().optional(),
    /** The encrypted envelope (base64). */
    printPayload: z.string(),
  }),
  z.strictObject({
    orderSn: z.string(),
    status: z.literal('refused'),
    reason: BlockReasonSchema,
    message: z.string(),
    /** With `printing_elsewhere`: the station that holds the order's number. */
    claimedBy: z.strictObject({ stationId: z.number().int(), name: z.string() }).optional(),
  }),
]);
export type WaybillResult = z.infer<typeof WaybillResultSchema>;

export const WaybillsResponseSchema = z.strictObject({ results: z.array(WaybillResultSchema) });
export type WaybillsResponse = z.infer<typeof WaybillsResponseSchema>;

// ---------------------------------------------------------------------------------------------
// POST /v1/station/mutations (DESIGN §4 push, exactly-once)

export const MAX_MUTATIONS_PER_REQUEST = 500;
/** Extra parcel numbers per order (like pdd.fds.waybill.return.slave). */
export const MAX_SLAVE_WAYBILLS = 10;

const WaybillNoSchema = z
  .string()
  .min(6)
  .max(32)
  .regex(/^[A-Za-z0-9]+$/);

export const WaybillReturnedMutationSchema = z.strictObject({
  id: z.number().int().positive(),
  type: z.literal('waybill_returned'),
  orderSn: OrderSnSchema,
  waybillNo: WaybillNoSchema,
  printedAt: IsoTimeSchema,
  /** Printed offline under the grace policy, without a guard check (D5). */
  unverified: z.boolean().optional(),
  slaveWaybillNos: z.array(WaybillNoSchema).max(MAX_SLAVE_WAYBILLS).optional(),
});

export const WaybillCancelledMutationSchema = z.strictObject({
  id: z.number().int().positive(),
  type: z.literal('waybill_cancelled'),
  orderSn: OrderSnSchema,
  waybillNo: WaybillNoSchema,
  reason: text(200),
});

/**
 * A label printed again for a number (重打, D7): recorded on the hub for the merchant to see (M9).
 * Only the station holding the number may reprint it; any station of the factory may reprint a
 * returned one.
 */
export const LabelReprintedMutationSchema = z.strictObject({
  id: z.number().int().positive(),
  type: z.literal('label_reprinted'),
  orderSn: OrderSnSchema,
  waybillNo: WaybillNoSchema,
  reason: ReasonSchema,
  printedAt: IsoTimeSchema,
});

export const MutationSchema = z.discriminatedUnion('type', [
  WaybillReturnedMutationSchema,
  WaybillCancelledMutationSchema,
  LabelReprintedMutationSchema,
]);
export type Mutation = z.infer<typeof MutationSchema>;

export const MutationsRequestSchema = z.strictObject({
  /** One stable id per station installation. */
  clientId: z
    .string()
    .min(8)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/),
  mutations: z.array(MutationSchema).min(1).max(MAX_MUTATIONS_PER_REQUEST),
});
export type MutationsRequest = z.infer<typeof MutationsRequestSchema>;

/** Why a mutation was rejected: a block reason of the order, or a problem with the number itself. */
export const MutationRejectReasonSchema = z.union([
  BlockReasonSchema,
  z.enum(Object.keys(WAYBILL_REJECTIONS) as [WaybillRejection, ...WaybillRejection[]]),
]);
export type MutationRejectReason = z.infer<typeof MutationRejectReasonSchema>;

export const MutationResultSchema = z.discriminatedUnion('status', [
  z.strictObject({ id: z.number().int(), status: z.literal('applied') }),
  z.strictObject({
    id: z.number().int(),
    status: z.literal('rejected'),
    reason: MutationRejectReasonSchema,
    message: z.string(),
    /** The order turned abnormal after its waybill was issued: the worker must pull the parcel (拦截). */
    intercept: z.boolean(),
  }),
]);
export type MutationResult = z.infer<typeof MutationResultSchema>;

export const MutationsResponseSchema = z.strictObject({
  lastMutationId: z.number().int().min(0),
  /** One result per mutation sent, in order; repeated ids carry their stored result. */
  results: z.array(MutationResultSchema),
});
export type MutationsResponse = z.infer<typeof MutationsResponseSchema>;

/** The 409 body for a gap: the station resends from lastMutationId + 1. */
export const MutationGapErrorSchema = z.strictObject({
  error: z.strictObject({ code: z.literal('MUTATION_GAP'), message: z.string(), lastMutationId: z.number().int() }),
});
