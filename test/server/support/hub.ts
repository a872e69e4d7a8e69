/**
 * Test support for the hub: a real hub on a real 127.0.0.1 port over a fresh database
 * (a temp SQLite file, or a fresh randomly named PostgreSQL database), a tiny typed HTTP
 * client, helpers for the usual set-up steps, and `describeEachDb` to run a suite on both.
 *
 * PostgreSQL: DAIFA_TEST_PG_URL (e.g. postgres://daifa:daifa@127.0.0.1:5432/postgres) names a
 * server where we may CREATE DATABASE. Unset: in CI (CI=true) the PostgreSQL suites FAIL;
 * elsewhere they are skipped with a loud warning.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/app.ts';
import { createSettableClock, type SettableClock } from '../../../server/clock.ts';
import { openDb, type HubDb } from '../../../server/db/open.ts';
import { NO_RATE_LIMITS, type RateLimits } from '../../../server/config.ts';
import type { HubContext } from '../../../server/context.ts';
import type {
  AllocateResponse,
  CancelAllocationResponse,
  CreatePlatformOrdersResponse,
  PlatformOrderEventRequest,
  PlatformOrderEventResponse,
  PlatformOrderInput,
} from '../../../shared/api/orders.ts';
import type { BindingResponse } from '../../../shared/api/bindings.ts';
import type {
  CheckResponse,
  FeedResponse,
  PairingCodeResponse,
  PairStationResponse,
} from '../../../shared/api/stations.ts';
import type { CreateShopResponse, MeResponse, SetRoleRequest } from '../../../shared/api/shops.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface TestHub {
  dialect: Dialect;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  app: FastifyInstance;
  db: HubDb;
  clock: SettableClock;
  adminToken: string;
  /** The DATABASE_URL this hub runs on (for a second process, e.g. the seed CLI). */
  databaseUrl: string;
  close(): Promise<void>;
}

/** The context the hub's domain functions take, to call them on a test hub's database without HTTP. */
export function hubContext(h: TestHub, over: Partial<HubContext> = {}): HubContext {
  return {
    db: h.db,
    dialect: h.dialect,
    clock: h.clock,
    adminToken: null,
    testClock: false,
    rateLimits: NO_RATE_LIMITS,
    log: h.app.log,
    ...over,
  };
}

export const PG_URL = process.env.DAIFA_TEST_PG_URL ?? '';
export const IN_CI = process.env.CI === 'true';

export interface StartTestHubOptions {
  dialect: Dialect;
  /** Default true: POST /v1/platform/clock works. */
  testClock?: boolean;
  /** Start the hub's clock here. */
  now?: Date;
  rateLimits?: RateLimits;
  /** Heartbeat of the station event streams (default the hub's). */
  eventsHeartbeatMs?: number;
}

/** A fresh database URL and a function that removes it. */
export async function freshDatabase(dialect: Dialect): Promise<{ url: string; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'daifa-hub-'));
    return { url: `sqlite:${join(dir, 'hub.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (!PG_URL) throw new Error('PostgreSQL run needs DAIFA_TEST_PG_URL');
  const name = `daifa_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  // template0: nobody is ever connected to it, so parallel suites creating databases never collide.
  await withPgAdmin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`));
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: () => dropPgDatabase(name),
  };
}

/**
 * Drops a test database on the PostgreSQL server of DAIFA_TEST_PG_URL. Retried: an autovacuum worker
 * busy in it makes DROP … WITH (FORCE) fail for a role that may not signal it (42501), for a moment.
 */
export function dropPgDatabase(name: string): Promise<void> {
  return withPgAdmin(async (c) => {
    // A closed pool's connections may still be saying goodbye: FORCE would terminate them, and the
    // server's FATAL reaching a client mid-close is an unhandled error in the test process.
    for (let i = 0; i < 40; i++) {
      const open = await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
      if (open.rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

/** Run one statement on the PG admin connection, retrying briefly: a loaded CI box can refuse a moment. */
async function withPgAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const c = new pg.Client({ connectionString: PG_URL });
    try {
      await c.connect();
      return await fn(c);
    } catch (e) {
      if (attempt >= 8) throw e;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    } finally {
      await c.end().catch(() => undefined);
    }
  }
}

export interface ListenHubOptions {
  dialect: Dialect;
  databaseUrl: string;
  /** Default: a random one. Hubs sharing a database (restart tests) pass the same token. */
  adminToken?: string;
  /** Start the hub's clock here. */
  now?: Date;
  /** Default true: POST /v1/platform/clock works. */
  testClock?: boolean;
  /** Run after the hub and its database handle are closed (e.g. drop the test database). */
  onClose?: () => Promise<void>;
  /** Default none: suites pair many stations from 127.0.0.1. The rate-limit suite sets its own. */
  rateLimits?: RateLimits;
  /** Heartbeat of the station event streams (default the hub's). */
  eventsHeartbeatMs?: number;
}

/** A hub on an existing database, listening on a real 127.0.0.1 port. */
export async function listenHub(opts: ListenHubOptions): Promise<TestHub> {
  const db = await openDb(opts.databaseUrl);
  const clock = createSettableClock(opts.now);
  const adminToken = opts.adminToken ?? `admin-${randomBytes(16).toString('hex')}`;
  const app = await buildApp({
    db,
    clock,
    adminToken,
    testClock: opts.testClock ?? true,
    logger: false,
    rateLimits: opts.rateLimits ?? NO_RATE_LIMITS,
    ...(opts.eventsHeartbeatMs !== undefined ? { eventsHeartbeatMs: opts.eventsHeartbeatMs } : {}),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (addr === null || typeof addr === 'string') throw new Error('hub did not bind a TCP port');
  return {
    dialect: opts.dialect,
    url: `http://127.0.0.1:${addr.port}`,
    app,
    db,
    clock,
    adminToken,
    databaseUrl: opts.databaseUrl,
    async close() {
      await app.close();
      await db.destroy();
      await opts.onClose?.();
    },
  };
}

/** A hub on a fresh database (temp SQLite file, or a random PostgreSQL database), dropped on close. */
export async function startTestHub(opts: StartTestHubOptions): Promise<TestHub> {
  const { url: databaseUrl, drop } = await freshDatabase(opts.dialect);
  return listenHub({ ...opts, databaseUrl, onClose: drop });
}

/**
 * Declare a suite once per database. The PostgreSQL one needs DAIFA_TEST_PG_URL: without it, it fails
 * under CI=true and is skipped with a loud warning elsewhere.
 */
export function describeEachDialect(name: string, fn: (dialect: Dialect) => void): void {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const title = `${name} [${dialect}]`;
    if (dialect === 'postgres' && !PG_URL) {
      if (IN_CI) {
        describe(title, () => {
          it('needs PostgreSQL (DAIFA_TEST_PG_URL) in CI', () => {
            throw new Error('CI=true but DAIFA_TEST_PG_URL is unset: the PostgreSQL run must not be skipped in CI');
          });
        });
      } else {
        warnPgSkipped();
        describe.skip(`${title} — PostgreSQL run SKIPPED: set DAIFA_TEST_PG_URL`, () => fn(dialect));
      }
      continue;
    }
    describe(title, () => fn(dialect));
  }
}

/**
 * Run `fn` once per database, each with its own hub started before the suite and closed after.
 * `t.hub()` returns the suite's hub. Tests isolate themselves by creating their own shops.
 */
export function describeEachDb(
  name: string,
  fn: (t: { dialect: Dialect; hub: () => TestHub }) => void,
  opts: Omit<StartTestHubOptions, 'dialect'> = {},
): void {
  describeEachDialect(name, (dialect) => {
    let hub: TestHub | undefined;
    beforeAll(async () => {
      hub = await startTestHub({ dialect, ...opts });
    });
    afterAll(async () => {
      await hub?.close();
    });
    fn({
      dialect,
      hub: () => {
        if (!hub) throw new Error('hub not started');
        return hub;
      },
    });
  });
}

let warned = false;
function warnPgSkipped(): void {
  if (warned) return;
  warned = true;
  console.warn(
    '\n' +
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' +
      '!!  PostgreSQL run SKIPPED: set DAIFA_TEST_PG_URL                       !!\n' +
      '!!  e.g. DAIFA_TEST_PG_URL=postgres://daifa:daifa@127.0.0.1:5432/postgres !!\n' +
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n',
  );
}

// ───────────────────────── HTTP client ─────────────────────────

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as-is (for malformed-JSON tests); overrides `body`. */
  rawBody?: string;
  headers?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
}

/** One HTTP call to the hub. Never throws on a status; the body is parsed JSON (or text). */
export async function call<T = any>( // eslint-disable-line @typescript-eslint/no-explicit-any
  hub: Pick<TestHub, 'url'>,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let payload: string | undefined;
  if (opts.rawBody !== undefined) {
    payload = opts.rawBody;
    headers['content-type'] ??= 'application/json';
  } else if (opts.body !== undefined) {
    payload = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const url = new URL(path, hub.url);
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  const res = await fetch(url, { method, headers, body: payload });
  // An event stream never ends: what it sent first (its `ready` event) is the answer, and it is closed.
  const text = res.headers.get('content-type')?.startsWith('text/event-stream')
    ? await firstChunk(res)
    : await res.text();
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

async function firstChunk(res: Response): Promise<string> {
  const reader = res.body!.getReader();
  const { value } = await reader.read();
  await reader.cancel();
  return value ? new TextDecoder().decode(value) : '';
}

/** Like `call`, but throws unless the status is 2xx. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function ok<T = any>(
  hub: Pick<TestHub, 'url'>,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<T> {
  const r = await call<T>(hub, method, path, opts);
  if (r.status < 200 || r.status >= 300) {
    throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
  }
  return r.body;
}

// ───────────────────────── set-up helpers ─────────────────────────

export interface TestShop {
  shopId: number;
  token: string;
}

let shopCounter = 0;

export async function createShop(hub: TestHub, name = `测试店铺${++shopCounter}`): Promise<TestShop> {
  return ok<CreateShopResponse>(hub, 'POST', '/v1/shops', { token: hub.adminToken, body: { name } });
}

export async function setRole(hub: TestHub, shop: TestShop, role: SetRoleRequest): Promise<MeResponse> {
  return ok<MeResponse>(hub, 'PUT', '/v1/me/role', { token: shop.token, body: role });
}

export const DEFAULT_SHIPPER = {
  name: '王经理',
  phone: '13900001111',
  address: '浙江省杭州市余杭区仓前街道梦想小镇8号',
};

export async function createMerchant(hub: TestHub, displayName = `商家${++shopCounter}`): Promise<TestShop> {
  const shop = await createShop(hub, `${displayName}的店`);
  await setRole(hub, shop, { role: 'merchant', displayName, shipper: DEFAULT_SHIPPER });
  return shop;
}

export async function createFactory(hub: TestHub, name = `代发厂${++shopCounter}`): Promise<TestShop> {
  const shop = await createShop(hub, name);
  await setRole(hub, shop, { role: 'factory', name });
  return shop;
}

/** Merchant requests, factory accepts. Returns the binding id. */
export async function bindAndAccept(hub: TestHub, merchant: TestShop, factory: TestShop): Promise<number> {
  const { binding } = await ok<BindingResponse>(hub, 'POST', '/v1/merchant/bindings', {
    token: merchant.token,
    body: { factoryShopId: factory.shopId },
  });
  await ok(hub, 'POST', `/v1/factory/bindings/${binding.id}/accept`, { token: factory.token });
  return binding.id;
}

let snCounter = 0;
const PROVINCES = [
  ['广东省', '深圳市', '南山区'],
  ['浙江省', '杭州市', '西湖区'],
  ['北京市', '北京市', '朝阳区'],
  ['四川省', '成都市', '武侯区'],
  ['江苏省', '苏州市', '工业园区'],
] as const;

/** A realistic order with a unique sn. The full name/phone/detail are distinctive so leak tests can grep them. */
export function makeOrder(over: Partial<PlatformOrderInput> = {}): PlatformOrderInput {
  const n = ++snCounter;
  const [province, city, district] = PROVINCES[n % PROVINCES.length]!;
  const tag = `${process.pid}${Date.now().toString(36)}${n}`;
  return {
    sn: `T${tag}`.slice(0, 64),
    items: [{ goodsId: 'G100', skuId: `SKU-${n % 3}`, goodsName: '纯棉T恤', spec: '白色 XL', quantity: 1 + (n % 2) }],
    recipient: {
      name: '欧阳娜娜',
      phone: `1380013${String(n % 10000).padStart(4, '0')}`,
      province,
      city,
      district,
      detail: `幸福路${n}号阳光小区3栋1201室`,
    },
    ...over,
  };
}

/** Create `n` orders (or the given ones) for a merchant; returns their sns. */
export async function createOrders(
  hub: TestHub,
  merchant: TestShop,
  orders: number | PlatformOrderInput[] = 1,
): Promise<string[]> {
  const list = typeof orders === 'number' ? Array.from({ length: orders }, () => makeOrder()) : orders;
  const sns: string[] = [];
  for (let i = 0; i < list.length; i += 1000) {
    const part = list.slice(i, i + 1000);
    await ok<CreatePlatformOrdersResponse>(hub, 'POST', '/v1/platform/orders', {
      token: hub.adminToken,
      body: { merchantShopId: merchant.shopId, orders: part },
    });
    sns.push(...part.map((o) => o.sn));
  }
  return sns;
}

export async function allocate(
  hub: TestHub,
  merchant: TestShop,
  factoryShopId: number,
  orderSns: string[],
): Promise<AllocateResponse> {
  return ok<AllocateResponse>(hub, 'POST', '/v1/merchant/allocations', {
    token: merchant.token,
    body: { factoryShopId, orderSns },
  });
}

export async function cancelAllocation(
  hub: TestHub,
  merchant: TestShop,
  orderSns: string[],
): Promise<CancelAllocationResponse> {
  return ok<CancelAllocationResponse>(hub, 'POST', '/v1/merchant/allocations/cancel', {
    token: merchant.token,
    body: { orderSns },
  });
}

export async function platformEvent(
  hub: TestHub,
  sn: string,
  event: PlatformOrderEventRequest,
): Promise<PlatformOrderEventResponse> {
  return ok<PlatformOrderEventResponse>(hub, 'POST', `/v1/platform/orders/${encodeURIComponent(sn)}/events`, {
    token: hub.adminToken,
    body: event,
  });
}

export interface TestStation {
  stationId: number;
  factoryShopId: number;
  token: string;
  payloadKey: string;
}

export async function pairStation(hub: TestHub, factory: TestShop, name = '打印站1'): Promise<TestStation> {
  const { code } = await ok<PairingCodeResponse>(hub, 'POST', '/v1/factory/stations', { token: factory.token });
  return ok<PairStationResponse>(hub, 'POST', '/v1/stations/pair', { body: { code, name } });
}

export async function feed(hub: TestHub, station: TestStation, cursor?: string, limit?: number): Promise<FeedResponse> {
  return ok<FeedResponse>(hub, 'GET', '/v1/station/feed', { token: station.token, query: { cursor, limit } });
}

/** Pull every page from `cursor` to the end. */
export async function pullAll(
  hub: TestHub,
  station: TestStation,
  cursor?: string,
  limit = 500,
): Promise<{ pages: FeedResponse[]; cursor: string }> {
  const pages: FeedResponse[] = [];
  let c = cursor;
  for (;;) {
    const page = await feed(hub, station, c, limit);
    pages.push(page);
    c = page.cursor;
    if (!page.hasMore) return { pages, cursor: c };
  }
}

export async function check(hub: TestHub, station: TestStation, orderSns: string[]): Promise<CheckResponse> {
  return ok<CheckResponse>(hub, 'POST', '/v1/station/check', { token: station.token, body: { orderSns } });
}

/** A merchant bound to a factory (accepted), with a paired station: the usual starting point. */
export async function boundPair(
  hub: TestHub,
): Promise<{ merchant: TestShop; factory: TestShop; station: TestStation }> {
  const merchant = await createMerchant(hub);
  const factory = await createFactory(hub);
  await bindAndAccept(hub, merchant, factory);
  const station = await pairStation(hub, factory);
  return { merchant, factory, station };
}

/** One merchant bound to two factories X and Y, each with a paired station (re-allocation scenarios). */
export async function merchantWithTwoFactories(hub: TestHub): Promise<{
  merchant: TestShop;
  x: TestShop;
  y: TestShop;
  stX: TestStation;
  stY: TestStation;
}> {
  const merchant = await createMerchant(hub);
  const x = await createFactory(hub);
  const y = await createFactory(hub);
  await bindAndAccept(hub, merchant, x);
  await bindAndAccept(hub, merchant, y);
  return { merchant, x, y, stX: await pairStation(hub, x), stY: await pairStation(hub, y) };
}
