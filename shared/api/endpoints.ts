/**
 * The hub core's endpoints as data: method, path, who may call it, and its schemas.
 * The server registers its routes from this table, the OpenAPI document comes from it, and
 * tests (authorization matrix, bad input) iterate it, so an endpoint cannot be missed.
 */
import type { z } from 'zod';
import { ErrorBodySchema } from './common.ts';
import * as S from './hub.ts';

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

export const CORE_ENDPOINTS = {
  createShop: def({
    method: 'POST',
    path: '/v1/shops',
    auth: 'admin',
    summary: '开店 — create a shop, returns its token',
    body: S.CreateShopRequestSchema,
    response: { 201: S.CreateShopResponseSchema },
  }),
  createPlatformOrders: def({
    method: 'POST',
    path: '/v1/platform/orders',
    auth: 'admin',
    summary: "Create a merchant's orders (up to 1000)",
    body: S.CreatePlatformOrdersRequestSchema,
    response: { 200: S.CreatePlatformOrdersResponseSchema },
  }),
  platformOrderEvent: def({
    method: 'POST',
    path: '/v1/platform/orders/:sn/events',
    auth: 'admin',
    summary: 'Apply a platform event to an order (address change, after-sale, audit, cancel)',
    params: S.OrderSnParamsSchema,
    body: S.PlatformOrderEventRequestSchema,
    response: { 200: S.PlatformOrderEventResponseSchema },
  }),
  platformClock: def({
    method: 'POST',
    path: '/v1/platform/clock',
    auth: 'admin',
    summary: "Set the hub's clock (only with HUB_TEST_CLOCK=1)",
    body: S.PlatformClockRequestSchema,
    response: { 200: S.PlatformClockResponseSchema },
  }),
  me: def({
    method: 'GET',
    path: '/v1/me',
    auth: 'shop',
    summary: 'The calling shop and its profile',
    response: { 200: S.MeResponseSchema },
  }),
  setRole: def({
    method: 'PUT',
    path: '/v1/me/role',
    auth: 'shop',
    summary: '选择角色 — become a merchant (商家) or a factory (厂家)',
    body: S.SetRoleRequestSchema,
    response: { 200: S.MeResponseSchema },
  }),
  createBinding: def({
    method: 'POST',
    path: '/v1/merchant/bindings',
    auth: 'merchant',
    summary: '绑定厂家 — request a binding with a factory shop ID',
    body: S.CreateBindingRequestSchema,
    response: { 201: S.BindingResponseSchema },
  }),
  merchantBindings: def({
    method: 'GET',
    path: '/v1/merchant/bindings',
    auth: 'merchant',
    summary: "The merchant's binding requests",
    response: { 200: S.BindingListResponseSchema },
  }),
  factoryBindings: def({
    method: 'GET',
    path: '/v1/factory/bindings',
    auth: 'factory',
    summary: 'Binding requests to this factory',
    response: { 200: S.BindingListResponseSchema },
  }),
  acceptBinding: def({
    method: 'POST',
    path: '/v1/factory/bindings/:id/accept',
    auth: 'factory',
    summary: 'Accept a binding request',
    params: S.IdParamsSchema,
    response: { 200: S.BindingResponseSchema },
  }),
  rejectBinding: def({
    method: 'POST',
    path: '/v1/factory/bindings/:id/reject',
    auth: 'factory',
    summary: 'Reject a binding request',
    params: S.IdParamsSchema,
    response: { 200: S.BindingResponseSchema },
  }),
  merchantOrders: def({
    method: 'GET',
    path: '/v1/merchant/orders',
    auth: 'merchant',
    summary: "The merchant's orders, with filters and paging",
    query: S.MerchantOrdersQuerySchema,
    response: { 200: S.MerchantOrdersResponseSchema },
  }),
  merchantOrder: def({
    method: 'GET',
    path: '/v1/merchant/orders/:sn',
    auth: 'merchant',
    summary: 'One order with its history (allocations, automatic un-allocation, events)',
    params: S.OrderSnParamsSchema,
    response: { 200: S.MerchantOrderDetailResponseSchema },
  }),
  allocate: def({
    method: 'POST',
    path: '/v1/merchant/allocations',
    auth: 'merchant',
    summary: '分配 / 批量分配 — allocate orders to a bound factory; a result per order',
    body: S.AllocateRequestSchema,
    response: { 200: S.AllocateResponseSchema },
    rateLimit: 'bulk',
  }),
  cancelAllocation: def({
    method: 'POST',
    path: '/v1/merchant/allocations/cancel',
    auth: 'merchant',
    summary: '取消分配 — cancel allocations; a result per order',
    body: S.CancelAllocationRequestSchema,
    response: { 200: S.CancelAllocationResponseSchema },
    rateLimit: 'bulk',
  }),
  factoryOrders: def({
    method: 'GET',
    path: '/v1/factory/orders',
    auth: 'factory',
    summary: 'Orders allocated (now or before) to this factory, masked',
    query: S.FactoryOrdersQuerySchema,
    response: { 200: S.FactoryOrdersResponseSchema },
  }),
  createPairingCode: def({
    method: 'POST',
    path: '/v1/factory/stations',
    auth: 'factory',
    summary: 'A one-time station pairing code (10 minutes)',
    response: { 201: S.PairingCodeResponseSchema },
  }),
  listStations: def({
    method: 'GET',
    path: '/v1/factory/stations',
    auth: 'factory',
    summary: "The factory's stations",
    response: { 200: S.StationListResponseSchema },
  }),
  revokeStation: def({
    method: 'DELETE',
    path: '/v1/factory/stations/:id',
    auth: 'factory',
    summary: 'Revoke a station; its token fails at once',
    params: S.IdParamsSchema,
    response: { 200: S.StationResponseSchema },
  }),
  pairStation: def({
    method: 'POST',
    path: '/v1/stations/pair',
    auth: 'none',
    summary: 'Exchange a pairing code for a station token and payload key',
    body: S.PairStationRequestSchema,
    response: { 201: S.PairStationResponseSchema },
    rateLimit: 'public',
  }),
  stationMe: def({
    method: 'GET',
    path: '/v1/station/me',
    auth: 'station',
    summary: 'The calling station and its factory',
    response: { 200: S.StationMeResponseSchema },
    rateLimit: 'station',
  }),
  feed: def({
    method: 'GET',
    path: '/v1/station/feed',
    auth: 'station',
    summary: "Pull changes of the station's factory since a cursor (D1)",
    query: S.FeedQuerySchema,
    response: { 200: S.FeedResponseSchema },
    rateLimit: 'station',
  }),
  check: def({
    method: 'POST',
    path: '/v1/station/check',
    auth: 'station',
    summary: 'Guard check: printability and version of up to 1000 orders (D4)',
    body: S.CheckRequestSchema,
    response: { 200: S.CheckResponseSchema },
    rateLimit: 'station',
  }),
} as const;

export type CoreEndpointName = keyof typeof CORE_ENDPOINTS;

/** Every error answer has this shape. */
export const ERROR_RESPONSE = ErrorBodySchema;
