/**
 * Who is calling. Shop tokens and station tokens live in different tables and carry
 * different prefixes; an endpoint names the one kind it accepts (shared/api/endpoints.ts).
 */
import type { EndpointAuth } from '../../shared/api/endpoints.ts';
import type { HubContext } from '../context.ts';
import { forbidden, unauthorized } from './errors.ts';
import { bearerOf, hashSecret, sameSecret, STATION_TOKEN_PREFIX } from './tokens.ts';

export interface AdminCaller {
  kind: 'admin';
}
export interface ShopCaller {
  kind: 'shop';
  shopId: number;
  role: 'merchant' | 'factory' | null;
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

export async function authenticate(
  ctx: HubContext,
  authorization: string | undefined,
  auth: EndpointAuth,
): Promise<Caller> {
  if (auth === 'none') return { kind: 'none' };
  const token = bearerOf(authorization);
  if (!token) throw unauthorized('缺少访问令牌 (Authorization: Bearer …)');

  if (auth === 'admin') {
    if (ctx.adminToken === null || !sameSecret(token, ctx.adminToken)) throw unauthorized('平台管理令牌无效');
    return { kind: 'admin' };
  }

  const isStationToken = token.startsWith(STATION_TOKEN_PREFIX);
  if (auth === 'station') {
    if (!isStationToken) throw forbidden('FORBIDDEN', '此接口只接受打印站令牌');
    const st = await ctx.db
      .selectFrom('stations')
      .innerJoin('shops', 'shops.id', 'stations.factory_shop_id')
      .select(['stations.id', 'stations.factory_shop_id', 'stations.name', 'stations.revoked_at', 'shops.role'])
      .where('stations.token_hash', '=', hashSecret(token))
      .executeTakeFirst();
    // A station belongs to a factory: if its shop is no longer one, the token is worthless.
    if (!st || st.role !== 'factory') throw unauthorized('打印站令牌无效');
    if (st.revoked_at !== null) throw unauthorized('打印站已被撤销');
    return { kind: 'station', stationId: st.id, factoryShopId: st.factory_shop_id, name: st.name };
  }

  if (isStationToken) throw forbidden('FORBIDDEN', '打印站令牌不能调用店铺接口');
  const shop = await ctx.db
    .selectFrom('shop_tokens')
    .innerJoin('shops', 'shops.id', 'shop_tokens.shop_id')
    .select(['shops.id', 'shops.role'])
    .where('shop_tokens.token_hash', '=', hashSecret(token))
    .where('shop_tokens.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!shop) throw unauthorized('店铺令牌无效');
  const caller: ShopCaller = { kind: 'shop', shopId: shop.id, role: shop.role };
  if (auth === 'merchant' && shop.role !== 'merchant') {
    throw forbidden('ROLE_REQUIRED', '此操作需要商家角色，请先选择“我是商家”');
  }
  if (auth === 'factory' && shop.role !== 'factory') {
    throw forbidden('ROLE_REQUIRED', '此操作需要厂家角色，请先选择“我是代发厂家”');
  }
  return caller;
}
