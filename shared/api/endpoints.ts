/**
 * The hub's endpoints as data, in one table: method, path, who may call it, its schemas and its rate
 * limit. The server registers its routes from it, the OpenAPI document and the typed client come
 * from it, and the tests (authorization matrix, bad input) iterate it, so an endpoint cannot be
 * missed. The two statement downloads stream files and are registered by hand at their paths below.
 */
import { z } from 'zod';
import { ErrorBodySchema, IdParamsSchema } from './common.ts';
import * as bindings from './bindings.ts';
import * as orders from './orders.ts';
import * as platform from './platform.ts';
import * as prices from './prices.ts';
import * as risk from './risk.ts';
import * as session from './session.ts';
import * as shipping from './shipping.ts';
import * as shops from './shops.ts';
import * as statements from './statements.ts';
import * as stations from './stations.ts';
import * as waybills from './waybills.ts';

/**
 * admin: platform admin token. shop: any shop token. merchant/factory: a shop token whose
 * shop has that role. station: a station token. none: public (pairing, OpenAPI).
 */
export type EndpointAuth = 'admin' | 'shop' | 'merchant' | 'factory' | 'station' | 'none';

/**
 * Rate-limited endpoints (429 with Retry-After): `public` per client IP (the unauthenticated writes:
 * pairing a station, signing in with a login link), `station` per station token, `report` (statements,
 * risk) and `bulk` (1,000-order writes, price imports) per shop token. Limits are the hub's settings.
 */
export type RateLimitClass = 'public' | 'station' | 'report' | 'bulk';

export interface EndpointDef {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  auth: EndpointAuth;
  summary: string;
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  /** Success status → schema. */
  response: Record<number, z.ZodType>;
  rateLimit?: RateLimitClass;
}

const def = <T extends EndpointDef>(d: T): T => d;
const Ok = z.strictObject({ ok: z.literal(true) });

export const ENDPOINTS = {
  // Shops and roles (M1)
  createShop: def({
    method: 'POST',
    path: '/v1/shops',
    auth: 'admin',
    summary: '开店 — create a shop, returns its token',
    body: shops.CreateShopRequestSchema,
    response: { 201: shops.CreateShopResponseSchema },
  }),
  me: def({
    method: 'GET',
    path: '/v1/me',
    auth: 'shop',
    summary: 'The calling shop and its profile',
    response: { 200: shops.MeResponseSchema },
  }),
  setRole: def({
    method: 'PUT',
    path: '/v1/me/role',
    auth: 'shop',
    summary: '选择角色 — become a merchant (商家) or a factory (厂家)',
    body: shops.SetRoleRequestSchema,
    response: { 200: shops.MeResponseSchema },
  }),
  // Console sign-in
  createLoginLink: def({
    method: 'POST',
    path: '/v1/platform/login-links',
    auth: 'admin',
    summary: '登录链接 — a one-time console login link for a shop (10 minutes)',
    body: session.CreateLoginLinkRequestSchema,
    response: { 201: session.CreateLoginLinkResponseSchema },
  }),
  createSession: def({
    method: 'POST',
    path: '/v1/session',
    auth: 'none',
    summary: 'Exchange a login link token for a session cookie (HttpOnly, SameSite=Strict)',
    body: session.CreateSessionRequestSchema,
    response: { 201: session.SessionResponseSchema },
    rateLimit: 'public',
  }),
  getSession: def({
    method: 'GET',
    path: '/v1/session',
    auth: 'shop',
    summary: 'The signed-in shop and the CSRF token of its session',
    response: { 200: session.SessionResponseSchema },
  }),
  deleteSession: def({
    method: 'DELETE',
    path: '/v1/session',
    auth: 'shop',
    summary: '退出登录 — end the console session and clear its cookie',
    response: { 200: z.strictObject({ ok: z.literal(true) }) },
  }),
  // Bindings (M2)
  createBinding: def({
    method: 'POST',
    path: '/v1/merchant/bindings',
    auth: 'merchant',
    summary: '绑定厂家 — request a binding with a factory shop ID',
    body: bindings.CreateBindingRequestSchema,
    response: { 201: bindings.BindingResponseSchema },
  }),
  merchantBindings: def({
    method: 'GET',
    path: '/v1/merchant/bindings',
    auth: 'merchant',
    summary: "The merchant's binding requests",
    response: { 200: bindings.BindingListResponseSchema },
  }),
  factoryBindings: def({
    method: 'GET',
    path: '/v1/factory/bindings',
    auth: 'factory',
    summary: 'Binding requests to this factory',
    response: { 200: bindings.BindingListResponseSchema },
  }),
  acceptBinding: def({
    method: 'POST',
    path: '/v1/factory/bindings/:id/accept',
    auth: 'factory',
    summary: 'Accept a binding request',
    params: IdParamsSchema,
    response: { 200: bindings.BindingResponseSchema },
  }),
  rejectBinding: def({
    method: 'POST',
    path: '/v1/factory/bindings/:id/reject',
    auth: 'factory',
    summary: 'Reject a binding request',
    params: IdParamsSchema,
    response: { 200: bindings.BindingResponseSchema },
  }),
  // Orders and allocation (M3)
  createPlatformOrders: def({
    method: 'POST',
    path: '/v1/platform/orders',
    auth: 'admin',
    summary: "Create a merchant's orders (up to 1000)",
    body: orders.CreatePlatformOrdersRequestSchema,
    response: { 200: orders.CreatePlatformOrdersResponseSchema },
  }),
  platformOrderEvent: def({
    method: 'POST',
    path: '/v1/platform/orders/:sn/events',
    auth: 'admin',
    summary: 'Apply a platform event to an order (address change, after-sale, audit, cancel)',
    params: orders.OrderSnParamsSchema,
    body: orders.PlatformOrderEventRequestSchema,
    response: { 200: orders.PlatformOrderEventResponseSchema },
  }),
  merchantOrders: def({
    method: 'GET',
    path: '/v1/merchant/orders',
    auth: 'merchant',
    summary: "The merchant's orders, with filters and paging",
    query: orders.MerchantOrdersQuerySchema,
    response: { 200: orders.MerchantOrdersResponseSchema },
  }),
  merchantOrder: def({
    method: 'GET',
    path: '/v1/merchant/orders/:sn',
    auth: 'merchant',
    summary: 'One order with its history (allocations, automatic un-allocation, events)',
    params: orders.OrderSnParamsSchema,
    response: { 200: orders.MerchantOrderDetailResponseSchema },
  }),
  allocate: def({
    method: 'POST',
    path: '/v1/merchant/allocations',
    auth: 'merchant',
    summary: '分配 / 批量分配 — allocate orders to a bound factory; a result per order',
    body: orders.AllocateRequestSchema,
    response: { 200: orders.AllocateResponseSchema },
    rateLimit: 'bulk',
  }),
  cancelAllocation: def({
    method: 'POST',
    path: '/v1/merchant/allocations/cancel',
    auth: 'merchant',
    summary: '取消分配 — cancel allocations; a result per order',
    body: orders.CancelAllocationRequestSchema,
    response: { 200: orders.CancelAllocationResponseSchema },
    rateLimit: 'bulk',
  }),
  // Stations and the feed (D1, D4)
  factoryOrders: def({
    method: 'GET',
    path: '/v1/factory/orders',
    auth: 'factory',
    summary: 'Orders allocated (now or before) to this factory, masked',
    query: orders.FactoryOrdersQuerySchema,
    response: { 200: orders.FactoryOrdersResponseSchema },
  }),
  createPairingCode: def({
    method: 'POST',
    path: '/v1/factory/stations',
    auth: 'factory',
    summary: 'A one-time station pairing code (10 minutes)',
    response: { 201: stations.PairingCodeResponseSchema },
  }),
  listStations: def({
    method: 'GET',
    path: '/v1/factory/stations',
    auth: 'factory',
    summary: "The factory's stations",
    response: { 200: stations.StationListResponseSchema },
  }),
  revokeStation: def({
    method: 'DELETE',
    path: '/v1/factory/stations/:id',
    auth: 'factory',
    summary: 'Revoke a station; its token fails at once',
    params: IdParamsSchema,
    response: { 200: stations.StationResponseSchema },
  }),
  pairStation: def({
    method: 'POST',
    path: '/v1/stations/pair',
    auth: 'none',
    summary: 'Exchange a pairing code for a station token and payload key',
    body: stations.PairStationRequestSchema,
    response: { 201: stations.PairStationResponseSchema },
    rateLimit: 'public',
  }),
  stationMe: def({
    method: 'GET',
    path: '/v1/station/me',
    auth: 'station',
    summary: 'The calling station and its factory',
    response: { 200: stations.StationMeResponseSchema },
    rateLimit: 'station',
  }),
  feed: def({
    method: 'GET',
    path: '/v1/station/feed',
    auth: 'station',
    summary: "Pull changes of the station's factory since a cursor (D1)",
    query: stations.FeedQuerySchema,
    response: { 200: stations.FeedResponseSchema },
    rateLimit: 'station',
  }),
  check: def({
    method: 'POST',
    path: '/v1/station/check',
    auth: 'station',
    summary: 'Guard check: printability and version of up to 1000 orders (D4)',
    body: stations.CheckRequestSchema,
    response: { 200: stations.CheckResponseSchema },
    rateLimit: 'station',
  }),
  // Waybills and returns (M5, D10)
  issueWaybills: def({
    method: 'POST',
    path: '/v1/station/waybills',
    auth: 'station',
    summary:
      '取号 — electronic waybill numbers for up to 100 orders, issued to the calling station, with encrypted print payloads; `takeover` moves another station’s claim',
    body: waybills.WaybillsRequestSchema,
    response: { 200: waybills.WaybillsResponseSchema },
    rateLimit: 'station',
  }),
  pushMutations: def({
    method: 'POST',
    path: '/v1/station/mutations',
    auth: 'station',
    summary: '回传运单号 / 取消运单 / 重打 — exactly-once push of the station outbox (409 MUTATION_GAP on a gap)',
    body: waybills.MutationsRequestSchema,
    response: { 200: waybills.MutationsResponseSchema, 409: waybills.MutationGapErrorSchema },
    rateLimit: 'station',
  }),
  // Shipping (M6)
  listReturnAddresses: def({
    method: 'GET',
    path: '/v1/merchant/return-addresses',
    auth: 'merchant',
    summary: '退货地址列表',
    response: { 200: shipping.ReturnAddressListSchema },
  }),
  createReturnAddress: def({
    method: 'POST',
    path: '/v1/merchant/return-addresses',
    auth: 'merchant',
    summary: '新增退货地址',
    body: shipping.ReturnAddressInputSchema,
    response: { 201: z.strictObject({ returnAddress: shipping.ReturnAddressSchema }) },
  }),
  updateReturnAddress: def({
    method: 'PUT',
    path: '/v1/merchant/return-addresses/:id',
    auth: 'merchant',
    summary: '修改退货地址',
    params: shipping.ReturnAddressIdParamSchema,
    body: shipping.ReturnAddressInputSchema,
    response: { 200: z.strictObject({ returnAddress: shipping.ReturnAddressSchema }) },
  }),
  deleteReturnAddress: def({
    method: 'DELETE',
    path: '/v1/merchant/return-addresses/:id',
    auth: 'merchant',
    summary: '删除退货地址',
    params: shipping.ReturnAddressIdParamSchema,
    response: { 200: Ok },
  }),
  ship: def({
    method: 'POST',
    path: '/v1/merchant/shipments',
    auth: 'merchant',
    summary: '发货 — ship orders whose tracking number was returned, with a return address',
    body: shipping.ShipmentsRequestSchema,
    response: { 200: shipping.ShipmentsResponseSchema },
    rateLimit: 'bulk',
  }),
  // Prices (M8)
  putPrices: def({
    method: 'PUT',
    path: '/v1/factory/prices',
    auth: 'factory',
    summary: '设置结算价格 — per (merchant, skuId) in fen; history is kept',
    body: prices.PutPricesRequestSchema,
    response: { 200: prices.PricesResponseSchema },
  }),
  getPrices: def({
    method: 'GET',
    path: '/v1/factory/prices',
    auth: 'factory',
    summary: '结算价格 — prices in force, or their history with ?history=1',
    query: prices.PricesQuerySchema,
    response: { 200: prices.PricesResponseSchema },
  }),
  importPrices: def({
    method: 'POST',
    path: '/v1/factory/prices/import',
    auth: 'factory',
    summary: '导入结算价格 — a CSV file, all rows or none (422 PRICE_CSV_INVALID names the line)',
    body: prices.ImportPricesRequestSchema,
    response: { 200: prices.PricesResponseSchema },
    rateLimit: 'bulk',
  }),
  missingPrices: def({
    method: 'GET',
    path: '/v1/factory/prices/missing',
    auth: 'factory',
    summary: 'SKUs in orders allocated to this factory without a settlement price in force',
    response: { 200: prices.MissingPricesResponseSchema },
  }),
  // Statements (M8)
  createStatement: def({
    method: 'POST',
    path: '/v1/merchant/statements',
    auth: 'merchant',
    summary: '生成对账单 — 202 pending; 429 STATEMENT_LIMIT (3 per China day, 10 minutes apart)',
    body: statements.CreateStatementRequestSchema,
    response: { 202: statements.CreateStatementResponseSchema, 429: statements.StatementLimitErrorSchema },
    rateLimit: 'report',
  }),
  listStatements: def({
    method: 'GET',
    path: '/v1/merchant/statements',
    auth: 'merchant',
    summary: '对账单列表 (pending, ready, failed)',
    response: { 200: statements.StatementListSchema },
  }),
  getStatement: def({
    method: 'GET',
    path: '/v1/merchant/statements/:id',
    auth: 'merchant',
    summary: '对账单',
    params: statements.StatementIdParamSchema,
    response: { 200: statements.CreateStatementResponseSchema },
  }),
  listFactoryStatements: def({
    method: 'GET',
    path: '/v1/factory/statements',
    auth: 'factory',
    summary: '对账单 — the statements merchants generated for this factory',
    response: { 200: statements.FactoryStatementListSchema },
  }),
  // Risk (M9)
  merchantRisk: def({
    method: 'GET',
    path: '/v1/merchant/risk',
    auth: 'merchant',
    summary: '风险 — late returns, intercepts after printing, reprints and takeovers, each with time and station',
    query: risk.RiskQuerySchema,
    response: { 200: risk.RiskResponseSchema },
    rateLimit: 'report',
  }),
  // The platform clock
  platformClock: def({
    method: 'POST',
    path: '/v1/platform/clock',
    auth: 'admin',
    summary: "Set the hub's clock (only with HUB_TEST_CLOCK=1)",
    body: platform.PlatformClockRequestSchema,
    response: { 200: platform.PlatformClockResponseSchema },
  }),
} as const;

export type EndpointName = keyof typeof ENDPOINTS;

/** Every error answer has this shape. */
export const ERROR_RESPONSE = ErrorBodySchema;

export const STATEMENT_DOWNLOAD_PATH = '/v1/merchant/statements/:id/download';
/** The factory's download of a statement generated for it: the same rows, no consumer data (M10). */
export const FACTORY_STATEMENT_DOWNLOAD_PATH = '/v1/factory/statements/:id/download';
