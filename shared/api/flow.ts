/**
 * Hub schemas of the print-and-ship flow (M5, M6, M8, D5): waybills, the print payload, the station's
 * mutation push, return addresses, shipments, settlement prices and statements.
 * The server validates with these; the station and the web console parse with them.
 */
import { z } from 'zod';
import type { EndpointDef } from './endpoints.ts';
import { PiecesSchema } from '../label/schema.ts';
import { WAYBILL_REJECTIONS, type WaybillRejection } from '../domain/reasons.ts';
import { BlockReasonSchema, CourierSchema, IsoTimeSchema, MAX_BATCH, OrderSnSchema, ShopIdSchema } from './common.ts';

const text = (max: number) => z.string().max(max);

/** Error codes of the flow endpoints, beside the core's ERROR_CODES. */
export const FLOW_ERROR_CODES = [
  'MUTATION_GAP',
  'STATEMENT_LIMIT',
  'STATEMENT_NOT_FOUND',
  'STATEMENT_NOT_READY',
  'RETURN_ADDRESS_NOT_FOUND',
  'NOT_BOUND',
  'STATION_KEY_MISSING',
  'PRICE_CSV_INVALID',
] as const;
export type FlowErrorCode = (typeof FLOW_ERROR_CODES)[number];

// ---------------------------------------------------------------------------------------------
// Print payload (M4/M5): what the label needs and the factory must not see. It travels only
// encrypted under the paired station's key (AES-256-GCM), see PRINT_PAYLOAD_ENVELOPE below.

/**
 * What the courier returns for sorting, as platforms hand it over (the Doudian SDK's `sort_code`,
 * `short_address_code` and `package_center_name`; Taobao's `package_center_code`).
 */
export const RoutingCodeSchema = z.strictObject({
  /** 三段码, e.g. `330-W05 117`. */
  sortCode: z.string(),
  /** 大头笔 in the courier's own style, e.g. `浙杭州 西湖` (ZTO) or `杭州西湖` (YTO). */
  bigPen: z.string(),
  /** 集包地: the consolidation hub the parcel is bagged for, e.g. `{name: '杭州转运中心', code: '330517'}`. */
  packageCenter: z.strictObject({ name: z.string(), code: z.string() }),
});
export type RoutingCode = z.infer<typeof RoutingCodeSchema>;

export const PrintPayloadSchema = z.strictObject({
  v: z.literal(1),
  orderSn: OrderSnSchema,
  courier: CourierSchema,
  waybillNo: z.string(),
  /** The order's address version the number was issued for: the guard compares it before printing (M7). */
  addressVersion: z.number().int().min(0),
  routing: RoutingCodeSchema,
  receiver: z.strictObject({
    /** Privacy-waybill form (隐私面单): 张*丰, 138****5678. */
    name: z.string(),
    phone: z.string(),
    province: z.string(),
    city: z.string(),
    district: z.string(),
    /** The full street detail: the courier needs it, so it is only ever inside the encrypted payload. */
    detail: z.string(),
  }),
  /** The merchant's shipper (寄件人) as set in its profile. */
  shipper: z.strictObject({ name: z.string(), phone: z.string(), address: z.string() }),
  items: z.array(z.strictObject({ goodsName: z.string(), spec: z.string(), quantity: z.number().int() })),
  /** 件数: this parcel's place among the order's parcels (1/1 for a single parcel). */
  pieces: PiecesSchema,
  issuedAt: z.string(),
});
export type PrintPayload = z.infer<typeof PrintPayloadSchema>;

/**
 * The encrypted envelope is one base64 string: version byte 0x01, a random 12-byte IV, then the
 * AES-256-GCM ciphertext of the payload's JSON followed by its 16-byte tag (WebCrypto's layout), with
 * the additional data below. The key is the station's 32-byte `payloadKey`, handed over once at pairing.
 */
export const PRINT_PAYLOAD_ENVELOPE = {
  version: 1,
  ivBytes: 12,
  tagBytes: 16,
  additionalData: 'daifa.printPayload.v1',
} as const;

/**
 * Opens an envelope with WebCrypto, so the station's main process decrypts with the same format
 * definition the hub encrypts with. Throws on a wrong key, tampering or a malformed envelope.
 */
export async function openPrintPayload(payloadKeyBase64: string, envelope: string): Promise<PrintPayload> {
  const { version, ivBytes, tagBytes, additionalData } = PRINT_PAYLOAD_ENVELOPE;
  const raw = base64ToBytes(envelope);
  if (raw.length < 1 + ivBytes + tagBytes || raw[0] !== version) throw new Error('print payload: bad envelope');
  const keyBytes = base64ToBytes(payloadKeyBase64);
  if (keyBytes.length !== 32) throw new Error('print payload: key must be 32 bytes');
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey('raw', keyBytes, 'AES-GCM', false, ['decrypt']);
  const plain = await subtle.decrypt(
    {
      name: 'AES-GCM',
      iv: raw.slice(1, 1 + ivBytes),
      additionalData: new TextEncoder().encode(additionalData),
      tagLength: tagBytes * 8,
    },
    key,
    raw.slice(1 + ivBytes),
  );
  return PrintPayloadSchema.parse(JSON.parse(new TextDecoder().decode(plain)));
}

function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
// Statements (对账单, M8)

export const StatementStatusSchema = z.enum(['pending', 'ready', 'failed']);
export type StatementStatus = z.infer<typeof StatementStatusSchema>;

export const CreateStatementRequestSchema = z
  .strictObject({ factoryShopId: ShopIdSchema, from: IsoTimeSchema, to: IsoTimeSchema })
  .refine((r) => Date.parse(r.from) < Date.parse(r.to), { message: 'from must be before to', path: ['to'] });
export type CreateStatementRequest = z.infer<typeof CreateStatementRequestSchema>;

export const StatementSchema = z.strictObject({
  id: z.number().int(),
  factoryShopId: ShopIdSchema,
  from: z.string(),
  to: z.string(),
  status: StatementStatusSchema,
  createdAt: z.string(),
  readyAt: z.string().nullable(),
  orderCount: z.number().int().nullable(),
  rowCount: z.number().int().nullable(),
  totalQuantity: z.number().int().nullable(),
  /** Sum of the rows that have a price; rows without one are counted in missingPriceRows, never as zero. */
  totalFen: z.number().int().nullable(),
  missingPriceRows: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type Statement = z.infer<typeof StatementSchema>;

export const CreateStatementResponseSchema = z.strictObject({ statement: StatementSchema });
export const StatementListSchema = z.strictObject({ statements: z.array(StatementSchema) });
export const StatementIdParamSchema = z.strictObject({ id: z.coerce.number().int().positive().max(2_147_483_647) });
export const StatementDownloadQuerySchema = z.strictObject({ format: z.enum(['csv', 'xlsx']).default('csv') });

/** What a factory sees of a statement generated for it (M8): the same figures, and whose it is. */
export const FactoryStatementSchema = StatementSchema.extend({
  merchantShopId: ShopIdSchema,
  merchantDisplayName: z.string(),
});
export type FactoryStatement = z.infer<typeof FactoryStatementSchema>;
export const FactoryStatementListSchema = z.strictObject({ statements: z.array(FactoryStatementSchema) });

export const StatementLimitErrorSchema = z.strictObject({
  error: z.strictObject({
    code: z.literal('STATEMENT_LIMIT'),
    message: z.string(),
    reason: z.enum(['daily_limit', 'too_soon']),
    nextAllowedAt: z.string(),
  }),
});

/** One statement line: one order item. No consumer data, masked or not (M10). */
export interface StatementRow {
  orderSn: string;
  goodsName: string;
  spec: string;
  skuId: string;
  quantity: number;
  /** null = no settlement price was in force when the number was returned (flagged, never zero). */
  unitPriceFen: number | null;
  amountFen: number | null;
  courier: string;
  waybillNo: string;
  allocatedAt: string;
  returnedAt: string;
}

// ---------------------------------------------------------------------------------------------
// The flow endpoints as data, like CORE_ENDPOINTS: the hub registers them from this table and the
// OpenAPI document is generated from it. The statement download streams a file and is registered
// by hand (its path is STATEMENT_DOWNLOAD_PATH).

const def = <T extends EndpointDef>(d: T): T => d;
const Ok = z.strictObject({ ok: z.literal(true) });

export const FLOW_ENDPOINTS = {
  issueWaybills: def({
    method: 'POST',
    path: '/v1/station/waybills',
    auth: 'station',
    summary:
      '取号 — electronic waybill numbers for up to 100 orders, issued to the calling station, with encrypted print payloads; `takeover` moves another station’s claim',
    body: WaybillsRequestSchema,
    response: { 200: WaybillsResponseSchema },
    rateLimit: 'station',
  }),
  pushMutations: def({
    method: 'POST',
    path: '/v1/station/mutations',
    auth: 'station',
    summary: '回传运单号 / 取消运单 / 重打 — exactly-once push of the station outbox (409 MUTATION_GAP on a gap)',
    body: MutationsRequestSchema,
    response: { 200: MutationsResponseSchema, 409: MutationGapErrorSchema },
    rateLimit: 'station',
  }),
  listReturnAddresses: def({
    method: 'GET',
    path: '/v1/merchant/return-addresses',
    auth: 'merchant',
    summary: '退货地址列表',
    response: { 200: ReturnAddressListSchema },
  }),
  createReturnAddress: def({
    method: 'POST',
    path: '/v1/merchant/return-addresses',
    auth: 'merchant',
    summary: '新增退货地址',
    body: ReturnAddressInputSchema,
    response: { 201: z.strictObject({ returnAddress: ReturnAddressSchema }) },
  }),
  updateReturnAddress: def({
    method: 'PUT',
    path: '/v1/merchant/return-addresses/:id',
    auth: 'merchant',
    summary: '修改退货地址',
    params: ReturnAddressIdParamSchema,
    body: ReturnAddressInputSchema,
    response: { 200: z.strictObject({ returnAddress: ReturnAddressSchema }) },
  }),
  deleteReturnAddress: def({
    method: 'DELETE',
    path: '/v1/merchant/return-addresses/:id',
    auth: 'merchant',
    summary: '删除退货地址',
    params: ReturnAddressIdParamSchema,
    response: { 200: Ok },
  }),
  ship: def({
    method: 'POST',
    path: '/v1/merchant/shipments',
    auth: 'merchant',
    summary: '发货 — ship orders whose tracking number was returned, with a return address',
    body: ShipmentsRequestSchema,
    response: { 200: ShipmentsResponseSchema },
    rateLimit: 'bulk',
  }),
  putPrices: def({
    method: 'PUT',
    path: '/v1/factory/prices',
    auth: 'factory',
    summary: '设置结算价格 — per (merchant, skuId) in fen; history is kept',
    body: PutPricesRequestSchema,
    response: { 200: PricesResponseSchema },
  }),
  getPrices: def({
    method: 'GET',
    path: '/v1/factory/prices',
    auth: 'factory',
    summary: '结算价格 — prices in force, or their history with ?history=1',
    query: PricesQuerySchema,
    response: { 200: PricesResponseSchema },
  }),
  createStatement: def({
    method: 'POST',
    path: '/v1/merchant/statements',
    auth: 'merchant',
    summary: '生成对账单 — 202 pending; 429 STATEMENT_LIMIT (3 per China day, 10 minutes apart)',
    body: CreateStatementRequestSchema,
    response: { 202: CreateStatementResponseSchema, 429: StatementLimitErrorSchema },
    rateLimit: 'report',
  }),
  listStatements: def({
    method: 'GET',
    path: '/v1/merchant/statements',
    auth: 'merchant',
    summary: '对账单列表 (pending, ready, failed)',
    response: { 200: StatementListSchema },
  }),
  getStatement: def({
    method: 'GET',
    path: '/v1/merchant/statements/:id',
    auth: 'merchant',
    summary: '对账单',
    params: StatementIdParamSchema,
    response: { 200: CreateStatementResponseSchema },
  }),
  importPrices: def({
    method: 'POST',
    path: '/v1/factory/prices/import',
    auth: 'factory',
    summary: '导入结算价格 — a CSV file, all rows or none (422 PRICE_CSV_INVALID names the line)',
    body: ImportPricesRequestSchema,
    response: { 200: PricesResponseSchema },
    rateLimit: 'bulk',
  }),
  missingPrices: def({
    method: 'GET',
    path: '/v1/factory/prices/missing',
    auth: 'factory',
    summary: 'SKUs in orders allocated to this factory without a settlement price in force',
    response: { 200: MissingPricesResponseSchema },
  }),
  listFactoryStatements: def({
    method: 'GET',
    path: '/v1/factory/statements',
    auth: 'factory',
    summary: '对账单 — the statements merchants generated for this factory',
    response: { 200: FactoryStatementListSchema },
  }),
} as const;

export const STATEMENT_DOWNLOAD_PATH = '/v1/merchant/statements/:id/download';
/** The factory's download of a statement generated for it: the same rows (no consumer data in either). */
export const FACTORY_STATEMENT_DOWNLOAD_PATH = '/v1/factory/statements/:id/download';
