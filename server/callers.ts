/**
 * Who is acting: the platform (admin token), a shop (its token or console session), a paired print
 * station, or nobody. Authentication (http/auth.ts) finds the caller; domain code reads it.
 */
import type { EndpointAuth } from '../shared/api/endpoints.ts';

export interface AdminCaller {
  kind: 'admin';
}
export interface ShopCaller {
  kind: 'shop';
  shopId: number;
  role: 'merchant' | 'factory' | null;
  /** Set when the shop called with its console session cookie (not a bearer token). */
  session?: { token: string; expiresAt: string };
}
export interface StationCaller {
  kind: 'station';
  stationId: number;
  factoryShopId: number;
  name: string;
}
export interface NoCaller {
  kind: 'none';
}
export type Caller = AdminCaller | ShopCaller | StationCaller | NoCaller;

export type CallerFor<A extends EndpointAuth> = A extends 'admin'
  ? AdminCaller
  : A extends 'station'
    ? StationCaller
    : A extends 'none'
      ? NoCaller
      : ShopCaller;
