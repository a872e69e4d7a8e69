/**
 * Who is calling. Shop tokens and station tokens live in different tables and carry
 * different prefixes; an endpoint names the one kind it accepts (shared/api/endpoints.ts).
 * A shop may also call with the console's session cookie: then every mutating request must carry
 * the session's CSRF token and, when the browser names an Origin, come from the hub's own origin.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { fastifyCookie } from '@fastify/cookie';
import type { EndpointAuth } from '../../shared/api/endpoints.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../../shared/api/session.ts';
import type { HubContext } from '../context.ts';
import type { Caller, ShopCaller } from '../callers.ts';
import { csrfTokenOf, sessionOf } from '../sessions/sessions.ts';
import { DomainError } from '../errors.ts';
import { hashSecret, sameSecret, STATION_TOKEN_PREFIX } from '../secrets.ts';
import { batched } from '../db/batch.ts';
import { inList } from '../db/sql.ts';
import type { HubDb } from '../db/open.ts';

/** What authentication reads of a request. */
export interface AuthRequest {
  method: string;
  headers: IncomingHttpHeaders;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The console session cookie's value, if the request carries one. */
export function sessionCookieOf(headers: IncomingHttpHeaders): string | null {
  const header = headers.cookie;
  if (!header) return null;
  return fastifyCookie.parse(header)[SESSION_COOKIE] ?? null;
}

export async function authenticate(ctx: HubContext, req: AuthRequest, auth: EndpointAuth): Promise<Caller> {
  if (auth === 'none') return { kind: 'none' };
  const token = bearerOf(req.headers.authorization);
  if (!token) {
    const cookie = auth === 'shop' || auth === 'merchant' || auth === 'factory' ? sessionCookieOf(req.headers) : null;
    if (cookie) return sessionCaller(ctx, req, cookie, auth);
    throw new DomainError('UNAUTHORIZED', '缺少访问令牌 (Authorization: Bearer …)');
  }

  if (auth === 'admin') {
    if (ctx.adminToken === null || !sameSecret(token, ctx.adminToken))
      throw new DomainError('UNAUTHORIZED', '平台管理令牌无效');
    return { kind: 'admin' };
  }

  const isStationToken = token.startsWith(STATION_TOKEN_PREFIX);
  if (auth === 'station') {
    if (!isStationToken) throw new DomainError('FORBIDDEN', '此接口只接受打印站令牌');
    const st = await stationsByToken(ctx.db)(hashSecret(token));
    // A station belongs to a factory: if its shop is no longer one, the token is worthless.
    if (!st || st.role !== 'factory') throw new DomainError('UNAUTHORIZED', '打印站令牌无效');
    if (st.revoked_at !== null) throw new DomainError('UNAUTHORIZED', '打印站已被撤销');
    return { kind: 'station', stationId: st.id, factoryShopId: st.factory_shop_id, name: st.name };
  }

  if (isStationToken) throw new DomainError('FORBIDDEN', '打印站令牌不能调用店铺接口');
  const shop = await ctx.db
    .selectFrom('shop_tokens')
    .innerJoin('shops', 'shops.id', 'shop_tokens.shop_id')
    .select(['shops.id', 'shops.role'])
    .where('shop_tokens.token_hash', '=', hashSecret(token))
    .where('shop_tokens.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!shop) throw new DomainError('UNAUTHORIZED', '店铺令牌无效');
  return requireRole({ kind: 'shop', shopId: shop.id, role: shop.role }, auth);
}

type StationRow = { id: number; factory_shop_id: number; name: string; revoked_at: string | null; role: string | null };

/**
 * The station behind a token hash. Stations call more than anyone (a feed pull every few seconds
 * each): lookups that arrive while one is in flight go together in the next statement (db/batch.ts).
 */
const stationLoaders = new WeakMap<HubDb, (tokenHash: string) => Promise<StationRow | undefined>>();

function stationsByToken(db: HubDb): (tokenHash: string) => Promise<StationRow | undefined> {
  let load = stationLoaders.get(db);
  if (!load) {
    load = batched<string, StationRow | undefined>(
      async (hashes) => {
        const rows = await db
          .selectFrom('stations')
          .innerJoin('shops', 'shops.id', 'stations.factory_shop_id')
          .select([
            'stations.id',
            'stations.factory_shop_id',
            'stations.name',
            'stations.revoked_at',
            'stations.token_hash',
            'shops.role',
          ])
          .where(inList(db, 'stations.token_hash', [...new Set(hashes)]))
          .execute();
        const byHash = new Map(rows.map((r) => [r.token_hash, r]));
        return hashes.map((h) => byHash.get(h));
      },
      { maxInFlight: 4, maxBatch: 500 },
    );
    stationLoaders.set(db, load);
  }
  return load;
}

function requireRole(caller: ShopCaller, auth: EndpointAuth): ShopCaller {
  if (auth === 'merchant' && caller.role !== 'merchant') {
    throw new DomainError('ROLE_REQUIRED', '此操作需要商家角色，请先选择“我是商家”');
  }
  if (auth === 'factory' && caller.role !== 'factory') {
    throw new DomainError('ROLE_REQUIRED', '此操作需要厂家角色，请先选择“我是代发厂家”');
  }
  return caller;
}

/**
 * A console request. SameSite=Strict keeps the cookie off cross-site requests, but pages of the same
 * site (another port or subdomain) still send it: the CSRF token, which only the console's own
 * pages can read, is what proves a mutating request came from the console.
 */
async function sessionCaller(ctx: HubContext, req: AuthRequest, cookie: string, auth: EndpointAuth) {
  const session = await sessionOf(ctx, cookie);
  if (!session) throw new DomainError('UNAUTHORIZED', '登录已过期，请使用新的登录链接重新登录');
  if (!SAFE_METHODS.has(req.method.toUpperCase())) {
    const origin = req.headers.origin;
    if (origin !== undefined && !sameOriginAsHost(origin, req.headers.host)) {
      throw new DomainError('CSRF_FAILED', '跨站请求被拒绝：请在控制台页面内操作');
    }
    const sent = req.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !sameSecret(sent, csrfTokenOf(cookie))) {
      throw new DomainError('CSRF_FAILED', '请求缺少有效的 CSRF 令牌：请刷新控制台页面后重试');
    }
  }
  return requireRole(
    {
      kind: 'shop',
      shopId: session.shopId,
      role: session.role,
      session: { token: cookie, expiresAt: session.expiresAt },
    },
    auth,
  );
}

/** Whether a browser's Origin header names this hub (the Host it was called at). */
export function sameOriginAsHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

export function bearerOf(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}
