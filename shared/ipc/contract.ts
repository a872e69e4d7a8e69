/**
 * The station's IPC contract (DESIGN.md §1, §2): one table of methods and one of events, each with
 * zod schemas, built like the hub's endpoint table. From it come main's handler registration (every
 * message validated there), the Electron preload object, the browser-mode WebSocket transport and the
 * renderer's typed client. A method or event that is not in this table does not exist.
 */
import { z } from 'zod';
import { CourierSchema, OrderSnListSchema, OrderSnSchema } from '../api/common.ts';
import { FactoryOrderSnapshotSchema } from '../api/orders.ts';
import { CheckResponseSchema, FeedResponseSchema } from '../api/stations.ts';
import { MutationSchema, MutationsResponseSchema } from '../api/waybills.ts';
import { StationErrorBodySchema } from './errors.ts';
import {
  ClaimedBySchema,
  FreshnessSchema,
  LabelAnnouncedSchema,
  LabelEventSchema,
  LabelReportSchema,
  MAX_PREPARE_ORDERS,
  PrintChunkArgsSchema,
  PrintChunkResultSchema,
  SnapshotSealSchema,
} from './print.ts';
import {
  NewPrinterSchema,
  PrinterConfigSchema,
  PrinterPatchSchema,
  SettingsPatchSchema,
  StationSettingsSchema,
} from './settings.ts';
import { BlockReasonSchema } from '../api/common.ts';

export interface MethodDef {
  summary: string;
  args: z.ZodType;
  result: z.ZodType;
}
export interface EventDef {
  summary: string;
  payload: z.ZodType;
}

const method = <A extends z.ZodType, R extends z.ZodType>(d: { summary: string; args: A; result: R }) => d;
const event = <P extends z.ZodType>(d: { summary: string; payload: P }) => d;
const None = z.strictObject({});
export const PRINTED_LABELS_PAGE = 5_000;
const Ok = z.strictObject({ ok: z.literal(true) });

export const StationInfoSchema = z.strictObject({
  paired: z.boolean(),
  hubUrl: z.string().nullable(),
  stationId: z.number().int().nullable(),
  stationName: z.string(),
  factoryShopId: z.number().int().nullable(),
  factoryName: z.string().nullable(),
  /** How this station is hosted: the Electron app, or a browser served by the station's Node process. */
  host: z.enum(['electron', 'browser']),
  /** Where the virtual printer writes its files and the picking lists are saved. */
  dataDir: z.string(),
});
export type StationInfo = z.infer<typeof StationInfoSchema>;

export const HubStatusSchema = z.strictObject({
  online: z.boolean(),
  /** Last time the hub answered. */
  lastOkAt: z.string().nullable(),
  error: StationErrorBodySchema.nullable(),
});
export type HubStatus = z.infer<typeof HubStatusSchema>;

export const SealedSnapshotSchema = FactoryOrderSnapshotSchema.extend({ seal: SnapshotSealSchema.shape.seal });
export type SealedSnapshot = z.infer<typeof SealedSnapshotSchema>;

export const PulledPageSchema = FeedResponseSchema.extend({
  changes: z.array(SealedSnapshotSchema),
  freshness: FreshnessSchema,
});
export type PulledPage = z.infer<typeof PulledPageSchema>;

export const PreparedResultSchema = z.discriminatedUnion('status', [
  z.strictObject({
    orderSn: z.string(),
    status: z.literal('issued'),
    waybillNo: z.string(),
    courier: CourierSchema,
    addressVersion: z.number().int(),
    envelope: z.string(),
    takenOver: z.boolean(),
  }),
  z.strictObject({
    orderSn: z.string(),
    status: z.literal('refused'),
    reason: BlockReasonSchema,
    message: z.string(),
    claimedBy: ClaimedBySchema.optional(),
  }),
]);
export type PreparedResult = z.infer<typeof PreparedResultSchema>;

export const PrinterStatusSchema = z.strictObject({
  printerId: z.string(),
  /** 'unknown': a one-way link, or a language without a status query. */
  state: z.enum(['ready', 'fault', 'unknown', 'unreachable']),
  error: StationErrorBodySchema.nullable(),
  at: z.string(),
});
export type PrinterStatusView = z.infer<typeof PrinterStatusSchema>;

export const DiscoveredPrinterSchema = z.strictObject({
  kind: z.enum(['system', 'usb-device', 'usb-libusb']),
  url: z.string(),
  name: z.string(),
  description: z.string().optional(),
  hasDriver: z.boolean().optional(),
  writable: z.boolean().optional(),
});

export const PickingRowSchema = z.strictObject({
  skuId: z.string().max(64),
  goodsName: z.string().max(128),
  spec: z.string().max(128),
  quantity: z.number().int().min(1),
  orderCount: z.number().int().min(1),
});
export type PickingRow = z.infer<typeof PickingRowSchema>;

export const STATION_METHODS = {
  info: method({ summary: 'This station: paired hub, identity, host', args: None, result: StationInfoSchema }),
  pair: method({
    summary: '配对 — exchange a one-time code for a station token (kept by main only)',
    args: z.strictObject({
      hubUrl: z
        .string()
        .trim()
        .max(512)
        .regex(/^https?:\/\/[^\s/]+/i, '平台地址应以 http:// 或 https:// 开头'),
      code: z.string().trim().min(1).max(32),
      name: z.string().trim().min(1).max(64),
    }),
    result: StationInfoSchema,
  }),
  hubStatus: method({ summary: 'Whether the hub answers', args: None, result: HubStatusSchema }),
  pullFeed: method({
    summary: 'One feed page since the cursor; every snapshot sealed by main for the offline guard',
    args: z.strictObject({
      cursor: z.string().max(128).nullable(),
      limit: z.number().int().min(1).max(1000).optional(),
    }),
    result: PulledPageSchema,
  }),
  pushMutations: method({
    summary: '回传运单号 — push the outbox (exactly once, DESIGN §4)',
    args: z.strictObject({
      clientId: z
        .string()
        .min(8)
        .max(64)
        .regex(/^[A-Za-z0-9_-]+$/),
      mutations: z.array(MutationSchema).min(1).max(500),
    }),
    result: MutationsResponseSchema,
  }),
  check: method({
    summary: 'Guard check of up to 1000 orders',
    args: z.strictObject({ orderSns: OrderSnListSchema }),
    result: CheckResponseSchema,
  }),
  prepareWaybills: method({
    summary: '取号 — take numbers and sealed payloads (and the claims) for up to 100 orders while online',
    args: z.strictObject({
      orderSns: z.array(OrderSnSchema).min(1).max(MAX_PREPARE_ORDERS),
      courier: CourierSchema,
      takeover: z.strictObject({ reason: z.string().trim().min(1).max(200) }).optional(),
    }),
    result: z.strictObject({ results: z.array(PreparedResultSchema) }),
  }),
  printChunk: method({
    summary: 'Print up to 20 labels: guard, render, send; one event per label (two-phase)',
    args: PrintChunkArgsSchema,
    result: PrintChunkResultSchema,
  }),
  ackLabel: method({
    summary: 'The renderer has durably committed `sending` for an announced label: main may write it',
    args: z.strictObject({ chunkId: z.string().max(64), itemId: z.number().int() }),
    result: Ok,
  }),
  settleInDoubt: method({
    summary:
      'The worker’s answer for a label in doubt, kept in main’s print journal too, so a store lost later does not ask again',
    args: z.strictObject({ waybillNo: z.string().min(1).max(32), printed: z.boolean() }),
    result: Ok,
  }),
  abortChunk: method({
    summary: 'Stop a running chunk after the label in flight (pause / cancel)',
    args: z.strictObject({ chunkId: z.string().max(64) }),
    result: Ok,
  }),
  listPrinters: method({
    summary: 'The configured printers',
    args: None,
    result: z.strictObject({ printers: z.array(PrinterConfigSchema), defaultPrinterId: z.string().nullable() }),
  }),
  discoverPrinters: method({
    summary: 'CUPS queues, USB device files and raw USB printers found on this machine',
    args: None,
    result: z.strictObject({ printers: z.array(DiscoveredPrinterSchema), warnings: z.array(z.string()) }),
  }),
  addPrinter: method({ summary: 'Add a printer by address', args: NewPrinterSchema, result: PrinterConfigSchema }),
  updatePrinter: method({
    summary: 'Change a printer (template, dpi, darkness, speed, offsets…)',
    args: z.strictObject({ id: z.string().max(64), patch: PrinterPatchSchema }),
    result: PrinterConfigSchema,
  }),
  removePrinter: method({ summary: 'Remove a printer', args: z.strictObject({ id: z.string().max(64) }), result: Ok }),
  testPrinter: method({
    summary: 'Print the sample label (a test page) on a printer',
    args: z.strictObject({ id: z.string().max(64) }),
    result: z.strictObject({
      report: LabelReportSchema,
      /** A printer on a Bluetooth or serial link: how long a label takes to arrive there. */
      warning: z.strictObject({ zh: z.string(), en: z.string() }).nullable(),
    }),
  }),
  printerStatus: method({
    summary: 'Ask a printer for its state (paper out, head open…)',
    args: z.strictObject({ id: z.string().max(64) }),
    result: PrinterStatusSchema,
  }),
  previewLabel: method({
    summary: 'A preview PNG of the sample label with a printer’s settings (same layout as printed)',
    args: z.strictObject({
      printerId: z.string().max(64).optional(),
      settings: PrinterPatchSchema.optional(),
    }),
    result: z.strictObject({
      pngBase64: z.string(),
      widthPx: z.number(),
      heightPx: z.number(),
      report: LabelReportSchema,
    }),
  }),
  pickingList: method({
    summary: '备货单 — SKU × quantity totals of a batch as a PDF: returned, saved to a file, or printed',
    args: z.strictObject({
      title: z.string().max(128),
      rows: z.array(PickingRowSchema).max(10_000),
      output: z.enum(['preview', 'file', 'printer']),
      printerId: z.string().max(64).optional(),
    }),
    result: z.strictObject({ pdfBase64: z.string().optional(), path: z.string().optional() }),
  }),
  printedLabels: method({
    summary:
      'The numbers this station wrote to a printer (main’s print journal), a page at a time: a renderer whose store was lost rebuilds its returns from them',
    args: z.strictObject({
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(PRINTED_LABELS_PAGE),
    }),
    result: z.strictObject({
      total: z.number().int(),
      labels: z.array(
        z.strictObject({
          waybillNo: z.string(),
          orderSn: z.string(),
          at: z.string(),
          printerId: z.string().nullable(),
          /** The printer took the bytes; false: the station stopped before it knew (in doubt). */
          sent: z.boolean(),
          /** Printed offline, on the guard's last answer before the hub went away. */
          unverified: z.boolean(),
          /** Null in entries written before couriers were recorded. */
          courier: CourierSchema.nullable(),
        }),
      ),
    }),
  }),
  getSettings: method({ summary: 'Station settings (no secrets)', args: None, result: StationSettingsSchema }),
  setSettings: method({ summary: 'Change station settings', args: SettingsPatchSchema, result: StationSettingsSchema }),
  verifyPin: method({
    summary: 'Check the reprint PIN before a reprint dialog proceeds',
    args: z.strictObject({ pin: z.string().max(16) }),
    result: z.strictObject({ ok: z.boolean() }),
  }),
} as const;

export const STATION_EVENTS = {
  labelAnnounced: event({
    summary: 'Phase one of a label: commit `sending`, then ackLabel',
    payload: LabelAnnouncedSchema,
  }),
  label: event({ summary: 'A label was sent, blocked, failed or deferred', payload: LabelEventSchema }),
  hubStatus: event({ summary: 'The hub went online or offline', payload: HubStatusSchema }),
  feedChanged: event({
    summary:
      'The hub pushed that the factory’s feed changed, or main’s event stream to the hub opened (pull now: what changed meanwhile was not pushed) or closed; `live`: whether the stream is open now',
    payload: z.strictObject({ at: z.string(), live: z.boolean() }),
  }),
  printerStatus: event({ summary: 'A printer reported its state', payload: PrinterStatusSchema }),
} as const;

export type StationMethods = typeof STATION_METHODS;
export type StationEvents = typeof STATION_EVENTS;
export type MethodName = keyof StationMethods;
export type EventName = keyof StationEvents;
export type MethodArgs<M extends MethodName> = z.input<StationMethods[M]['args']>;
export type MethodResult<M extends MethodName> = z.output<StationMethods[M]['result']>;
export type EventPayload<E extends EventName> = z.output<StationEvents[E]['payload']>;

/** The contract as an object of async functions: what the renderer's client offers. */
export type StationApi = { [M in MethodName]: (args: MethodArgs<M>) => Promise<MethodResult<M>> };

/** A call's answer as it crosses a process boundary: errors travel as values (never as thrown objects). */
export type CallReply<R> = { ok: true; result: R } | { ok: false; error: z.infer<typeof StationErrorBodySchema> };

/**
 * What a transport offers the renderer: the Electron preload exposes an object that `satisfies` this,
 * and browser mode implements it over the WebSocket.
 */
export interface StationBridge {
  call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<CallReply<MethodResult<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(STATION_METHODS, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(STATION_EVENTS, name);
}
