/**
 * The print path's messages between the renderer's batch runner and main (DESIGN.md §1, §5, §7):
 * a chunk of at most 20 labels, the two-phase per-label protocol (announced → the renderer commits
 * `sending` and acks → main writes the bytes → sent | failed), and what the guard decided per label.
 */
import { z } from 'zod';
import { BlockReasonSchema, CourierSchema, OrderSnSchema } from '../api/common.ts';
import { StationErrorBodySchema } from './errors.ts';

export const MAX_CHUNK_LABELS = 20;
export const MAX_PREPARE_ORDERS = 100;

const ReasonTextSchema = z.string().trim().min(1, '请填写原因').max(200);

/**
 * What main signs (HMAC under a key only main holds) when a snapshot passes through it from the hub,
 * so that offline, under the grace policy, it can trust the renderer's copy of "normal when synced".
 */
export const SnapshotSealSchema = z.strictObject({
  version: z.number().int(),
  printable: z.boolean(),
  reason: BlockReasonSchema.nullable(),
  addressVersion: z.number().int(),
  /** The station holding the order's claim, if any. */
  claimStationId: z.number().int().nullable(),
  seal: z.string().max(128),
});
export type SnapshotSeal = z.infer<typeof SnapshotSealSchema>;

/** main's signature over "the feed was current up to this cursor at this time" (the last successful pull). */
export const FreshnessSchema = z.strictObject({
  cursor: z.string().max(128),
  at: z.string().max(40),
  seal: z.string().max(128),
});
export type Freshness = z.infer<typeof FreshnessSchema>;

export const PreparedWaybillSchema = z.strictObject({
  waybillNo: z.string().min(1).max(32),
  /** The hub's sealed print payload, opened only in main. */
  envelope: z
    .string()
    .min(1)
    .max(64 * 1024),
});

/**
 * A worker's explicit decision that lets main print a number it has printed before: a reprint (with a
 * reason), or "it did not print" for a label left in doubt by a crash.
 */
export const PrintOverrideSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('reprint'), reason: ReasonTextSchema }),
  z.strictObject({ kind: z.literal('in_doubt_not_printed') }),
]);
export type PrintOverride = z.infer<typeof PrintOverrideSchema>;

export const PrintItemSchema = z.strictObject({
  itemId: z.number().int().nonnegative(),
  orderSn: OrderSnSchema,
  prepared: PreparedWaybillSchema.optional(),
  /** The sealed snapshot, used only offline under the grace policy. */
  snapshot: SnapshotSealSchema.extend({ orderSn: OrderSnSchema }).optional(),
  override: PrintOverrideSchema.optional(),
});
export type PrintItem = z.infer<typeof PrintItemSchema>;

export const PrintChunkArgsSchema = z.strictObject({
  chunkId: z.string().min(8).max(64),
  printerId: z.string().min(1).max(64),
  courier: CourierSchema,
  items: z.array(PrintItemSchema).min(1).max(MAX_CHUNK_LABELS),
  /** Take over orders another station of the factory holds (DESIGN §3), with the worker's reason. */
  takeover: z.strictObject({ reason: ReasonTextSchema }).optional(),
  freshness: FreshnessSchema.optional(),
  /** The reprint PIN, when the chunk holds reprints and the lock is on. */
  pin: z.string().max(16).optional(),
});
export type PrintChunkArgs = z.input<typeof PrintChunkArgsSchema>;

/** Why main refused a label on its own account (beside the hub's block reasons). */
export const STATION_BLOCK_REASONS = {
  already_printed: {
    zh: '该运单号已经打印过，如需补打请走“重打”并填写原因',
    en: 'This tracking number was printed already: use reprint with a reason',
  },
} as const;
export type StationBlockReason = keyof typeof STATION_BLOCK_REASONS;
export const LabelBlockReasonSchema = z.union([BlockReasonSchema, z.literal('already_printed')]);
export type LabelBlockReason = z.infer<typeof LabelBlockReasonSchema>;

/** Why a label was not tried at all; it stays queued. */
export const DEFERRED_REASONS = {
  offline: { zh: '平台离线：当前离线策略不允许打印', en: 'Hub offline: the offline policy does not allow printing' },
  offline_stale: {
    zh: '平台离线：该订单同步时间超过离线宽限期，联网后再打印',
    en: 'Hub offline: this order was synced longer ago than the grace period allows',
  },
  not_prepared: {
    zh: '平台离线：该订单没有预先取号，联网后再打印',
    en: 'Hub offline: no tracking number was prepared for this order',
  },
  stopped: { zh: '已停止，未打印', en: 'Stopped before printing' },
} as const;
export type DeferredReason = keyof typeof DEFERRED_REASONS;
export const DeferredReasonSchema = z.enum(Object.keys(DEFERRED_REASONS) as [DeferredReason, ...DeferredReason[]]);

export const ClaimedBySchema = z.strictObject({ stationId: z.number().int(), name: z.string() });

export const LabelReportSchema = z.strictObject({
  waybillNo: z.string(),
  truncatedFields: z.array(z.string()),
  missingGlyphs: z.array(z.string()),
});

export const LabelOutcomeSchema = z.discriminatedUnion('state', [
  z.strictObject({
    itemId: z.number().int(),
    orderSn: z.string(),
    state: z.literal('sent'),
    waybillNo: z.string(),
    printedAt: z.string(),
    /** Printed offline under the grace policy, without a guard check. */
    unverified: z.boolean(),
    report: LabelReportSchema.nullable(),
  }),
  z.strictObject({
    itemId: z.number().int(),
    orderSn: z.string(),
    state: z.literal('blocked'),
    reason: LabelBlockReasonSchema,
    message: z.string(),
    claimedBy: ClaimedBySchema.optional(),
  }),
  z.strictObject({
    itemId: z.number().int(),
    orderSn: z.string(),
    state: z.literal('failed'),
    error: StationErrorBodySchema,
  }),
  z.strictObject({
    itemId: z.number().int(),
    orderSn: z.string(),
    state: z.literal('deferred'),
    reason: DeferredReasonSchema,
  }),
]);
export type LabelOutcome = z.infer<typeof LabelOutcomeSchema>;

export const PrintChunkResultSchema = z.strictObject({
  outcomes: z.array(LabelOutcomeSchema),
  /** Whether the guard could ask the hub (false: offline policy applied). */
  online: z.boolean(),
  /** Set when the chunk stopped early (a printer fault): the labels after it are `deferred: stopped`. */
  stopped: StationErrorBodySchema.optional(),
});
export type PrintChunkResult = z.infer<typeof PrintChunkResultSchema>;

/** Phase one: main is about to print this label; the renderer commits `sending` durably, then acks. */
export const LabelAnnouncedSchema = z.strictObject({
  chunkId: z.string(),
  itemId: z.number().int(),
  orderSn: z.string(),
  waybillNo: z.string(),
  courier: CourierSchema,
  /** The sealed payload the label is printed from (kept for a later reprint). */
  envelope: z.string(),
  unverified: z.boolean(),
});
export type LabelAnnounced = z.infer<typeof LabelAnnouncedSchema>;

export const LabelEventSchema = z.strictObject({
  chunkId: z.string(),
  outcome: LabelOutcomeSchema,
  /**
   * With a `sent` outcome: the next label's announcement, so the renderer commits this label's `sent` and
   * the next one's `sending` durably in one transaction (one disk flush per label), then acks the next.
   */
  next: LabelAnnouncedSchema.optional(),
});
export type LabelEvent = z.infer<typeof LabelEventSchema>;
