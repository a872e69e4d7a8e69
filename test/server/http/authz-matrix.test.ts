/**
 * Authorization matrix (issue 3 acceptance): merchants A/B, factories X/Y, a shop without a role,
 * a station of X, a revoked station of X, the platform admin, no token and garbage tokens, against
 * EVERY endpoint of the OpenAPI document. Then the "leaks nothing" scenarios: B never learns
 * anything about A's orders, Y nothing about X's, a station of X gets `not_allocated` for anything
 * that is not X's, and M4: no full recipient name, phone or street detail appears in any byte a
 * factory or a station receives.
 */
import { beforeAll, expect, it } from 'vitest';
import { ENDPOINTS, type EndpointAuth } from '../../../shared/api/endpoints.ts';
import type {
  FactoryOrderSnapshot,
  FactoryOrdersResponse,
  MerchantOrdersResponse,
} from '../../../shared/api/orders.ts';
import type { FeedResponse } from '../../../shared/api/stations.ts';
import type { Recipient } from '../../../shared/domain/types.ts';
import { mulberry32, randomRecipient } from '../../../server/seed.ts';
import {
  allocate,
  bindAndAccept,
  call,
  cancelAllocation,
  createFactory,
  createMerchant,
  createOrders,
  createShop,
  describeEachDb,
  makeOrder,
  ok,
  pairStation,
  platformEvent,
  type ApiResponse,
  type CallOptions,
  type TestHub,
  type TestShop,
  type TestStation,
} from '../support/hub.ts';
import { authOf } from '../support/endpoint-auth.ts';

type ActorName =
  | 'admin'
  | 'merchantA'
  | 'merchantB'
  | 'factoryX'
  | 'factoryY'
  | 'noRoleShop'
  | 'stationX'
  | 'revokedStationX'
  | 'noToken'
  | 'garbage'
  | 'garbageStationToken'
  | 'garbageShopToken';

const ACTORS: readonly ActorName[] = [
  'admin',
  'merchantA',
  'merchantB',
  'factoryX',
  'factoryY',
  'noRoleShop',
  'stationX',
  'revokedStationX',
  'noToken',
  'garbage',
  'garbageStationToken',
  'garbageShopToken',
];

/** Who may call an endpoint of each auth kind. Everyone else is refused (401/403). */
const ALLOWED: Record<EndpointAuth, readonly ActorName[]> = {
  admin: ['admin'],
  shop: ['merchantA', 'merchantB', 'factoryX', 'factoryY', 'noRoleShop'],
  merchant: ['merchantA', 'merchantB'],
  factory: ['factoryX', 'factoryY'],
  station: ['stationX'],
  none: ACTORS,
};

interface Operation {
  method: string;
  path: string;
  hasBody: boolean;
}

async function operationsOf(h: TestHub): Promise<Operation[]> {
  const doc = await ok<{ paths: Record<string, Record<string, { requestBody?: unknown }>> }>(
    h,
    'GET',
    '/v1/openapi.json',
  );
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      ops.push({ method: method.toUpperCase(), path, hasBody: op.requestBody !== undefined });
    }
  }
  return ops;
}

/** A path with its parameters filled by values that name nothing (so no allowed call changes state). */
function concretePath(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'sn' ? 'NOPE-404' : '999999999'));
}

const isDenied = (status: number) => status === 401 || status === 403;

function expectErrorBody(res: ApiResponse, what: string): void {
  const body = res.body as { error?: { code?: unknown; message?: unknown } };
  expect(typeof body?.error?.code, `${what}: error.code`).toBe('string');
  expect(typeof body?.error?.message, `${what}: error.message`).toBe('string');
}

/** Replace every occurrence of `sn` (to compare an answer about a foreign order with one about no order). */
function normalise(body: unknown, sn: string): string {
  return JSON.stringify(body).split(sn).join('<SN>');
}

interface World {
  merchantA: TestShop;
  merchantB: TestShop;
  merchantC: TestShop;
  factoryX: TestShop;
  factoryY: TestShop;
  noRoleShop: TestShop;
  stationX: TestStation;
  revokedStationX: TestStation;
  stationY: TestStation;
  /** A's orders: a1→X (address changed later), a2→X then cancelled, a3→Y, a4 unallocated. */
  a: string[];
  /** B's orders: b1→X then after-sale (auto-un-allocated), b2→Y, b3 unallocated, b4→X. */
  b: string[];
  /** Every clear recipient value that ever existed (before and after address changes). */
  clear: Recipient[];
  /** C's pending binding request to X. */
  pendingBindingToX: number;
}

describeEachDb('authorization matrix', ({ hub }) => {
  let w: World;
  /** Every response body a factory or a station received in this suite, as raw text (M4). */
  const factorySide: string[] = [];

  const tokenOf = (actor: ActorName): string | undefined => {
    switch (actor) {
      case 'admin':
        return hub().adminToken;
      case 'noToken':
        return undefined;
      case 'garbage':
        return 'not-a-token';
      case 'garbageStationToken':
        return 'dft_' + 'A'.repeat(43);
      case 'garbageShopToken':
        return 'dfs_' + 'A'.repeat(43);
      default:
        return w[actor].token;
    }
  };

  /** A call as `actor`; factory and station answers are kept for the M4 scan. */
  async function as(actor: ActorName, method: string, path: string, opts: CallOptions = {}): Promise<ApiResponse> {
    const res = await call(hub(), method, path, { ...opts, token: tokenOf(actor) });
    if (actor.startsWith('factory') || actor.startsWith('station') || actor === 'revokedStationX') {
      factorySide.push(typeof res.body === 'string' ? res.body : JSON.stringify(res.body));
    }
    return res;
  }

  beforeAll(async () => {
    const h = hub();
    const rng = mulberry32(20261127);
    const clear: Recipient[] = [];
    /** Orders whose recipients are realistic and long enough (≥ 3-character names) to grep for. */
    const orders = (n: number) =>
      Array.from({ length: n }, (_, i) => {
        let r = randomRecipient(rng, i);
        while (r.name.length < 3) r = randomRecipient(rng, i);
        clear.push(r);
        return makeOrder({ recipient: r });
      });

    const merchantA = await createMerchant(h, '甲商家');
    const merchantB = await createMerchant(h, '乙商家');
    const merchantC = await createMerchant(h, '丙商家');
    const factoryX = await createFactory(h, 'X代发厂');
    const factoryY = await createFactory(h, 'Y代发厂');
    const noRoleShop = await createShop(h, '未选角色的店');
    for (const m of [merchantA, merchantB]) for (const f of [factoryX, factoryY]) await bindAndAccept(h, m, f);
    const pending = await ok<{ binding: { id: number } }>(h, 'POST', '/v1/merchant/bindings', {
      token: merchantC.token,
      body: { factoryShopId: factoryX.shopId },
    });

    const a = await createOrders(h, merchantA, orders(4));
    const b = await createOrders(h, merchantB, orders(4));
    await allocate(h, merchantA, factoryX.shopId, [a[0]!, a[1]!]);
    await allocate(h, merchantA, factoryY.shopId, [a[2]!]);
    await allocate(h, merchantB, factoryX.shopId, [b[0]!, b[3]!]);
    await allocate(h, merchantB, factoryY.shopId, [b[1]!]);
    await cancelAllocation(h, merchantA, [a[1]!]);
    await platformEvent(h, b[0]!, { type: 'after_sale_opened' });
    let moved = randomRecipient(rng, 99);
    while (moved.name.length < 3) moved = randomRecipient(rng, 99);
    clear.push(moved);
    await platformEvent(h, a[0]!, { type: 'address_changed', recipient: moved });

    const stationX = await pairStation(h, factoryX, 'X一号站');
    const revokedStationX = await pairStation(h, factoryX, 'X旧站');
    await ok(h, 'DELETE', `/v1/factory/stations/${revokedStationX.stationId}`, { token: factoryX.token });
    const stationY = await pairStation(h, factoryY, 'Y一号站');
    // Y's station holds the number of A's order a3: X's stations must not learn even that.
    await ok(h, 'POST', '/v1/station/waybills', {
      token: stationY.token,
      body: { orderSns: [a[2]!], courier: 'ZTO' },
    });

    w = {
      merchantA,
      merchantB,
      merchantC,
      factoryX,
      factoryY,
      noRoleShop,
      stationX,
      revokedStationX,
      stationY,
      a,
      b,
      clear,
      pendingBindingToX: pending.binding.id,
    };
  });

  it('every endpoint × every actor: the right ones pass authentication, all others get 401/403, never 5xx', async () => {
    const ops = await operationsOf(hub());
    // Every endpoint of the table is in the document (sanity: the enumeration is real).
    expect(ops.length).toBeGreaterThanOrEqual(Object.keys(ENDPOINTS).length);
    for (const d of Object.values(ENDPOINTS)) {
      expect(ops.some((o) => o.method === d.method && o.path === d.path.replace(/:(\w+)/g, '{$1}'))).toBe(true);
    }
    const failures: string[] = [];
    for (const op of ops) {
      const auth = authOf(op.method, op.path);
      for (const actor of ACTORS) {
        const res = await as(actor, op.method, concretePath(op.path), op.hasBody ? { body: {} } : {});
        const what = `${op.method} ${op.path} as ${actor} (auth ${auth}) → ${res.status}`;
        if (res.status >= 500) failures.push(`${what}: 5xx`);
        const allowed = ALLOWED[auth].includes(actor);
        if (allowed && isDenied(res.status)) failures.push(`${what}: should pass authentication`);
        if (!allowed) {
          if (!isDenied(res.status)) failures.push(`${what}: should be refused`);
          // No token, a revoked station on a station endpoint, and unknown tokens are 401 exactly.
          if (actor === 'noToken' && res.status !== 401) failures.push(`${what}: no token must be 401`);
          if (auth === 'station' && ['revokedStationX', 'garbageStationToken'].includes(actor) && res.status !== 401) {
            failures.push(`${what}: revoked/unknown station token must be 401`);
          }
          if (auth !== 'station' && auth !== 'admin' && actor === 'garbageShopToken' && res.status !== 401) {
            failures.push(`${what}: unknown shop token must be 401`);
          }
        }
        if (res.status >= 400) expectErrorBody(res, what);
      }
    }
    expect(failures).toEqual([]);
  });

  it('a merchant never sees or touches another merchant’s orders: same answer as for an order that does not exist', async () => {
    const aSns = new Set(w.a);
    const listB = (await as('merchantB', 'GET', '/v1/merchant/orders', { query: { limit: 1000 } }))
      .body as MerchantOrdersResponse;
    expect(listB.orders.map((o) => o.sn).sort()).toEqual([...w.b].sort());
    expect(listB.orders.some((o) => aSns.has(o.sn))).toBe(false);
    // Filtered by a factory both are bound to: still only B's.
    const byX = (await as('merchantB', 'GET', '/v1/merchant/orders', { query: { factoryShopId: w.factoryX.shopId } }))
      .body as MerchantOrdersResponse;
    expect(byX.orders.every((o) => !aSns.has(o.sn))).toBe(true);

    const unknown = 'NOPE-NEVER-EXISTED';
    for (const sn of w.a) {
      const pairs: Array<[string, (s: string) => Promise<ApiResponse>]> = [
        ['detail', (s) => as('merchantB', 'GET', `/v1/merchant/orders/${s}`)],
        [
          'allocate',
          (s) =>
            as('merchantB', 'POST', '/v1/merchant/allocations', {
              body: { factoryShopId: w.factoryX.shopId, orderSns: [s] },
            }),
        ],
        ['cancel', (s) => as('merchantB', 'POST', '/v1/merchant/allocations/cancel', { body: { orderSns: [s] } })],
      ];
      for (const [what, fn] of pairs) {
        const foreign = await fn(sn);
        const none = await fn(unknown);
        expect(foreign.status, `${what} ${sn}`).toBe(none.status);
        expect(normalise(foreign.body, sn), `${what} ${sn}`).toBe(normalise(none.body, unknown));
      }
    }
    // Nothing B did changed A's orders.
    const listA = (await as('merchantA', 'GET', '/v1/merchant/orders', { query: { limit: 1000 } }))
      .body as MerchantOrdersResponse;
    const byA = new Map(listA.orders.map((o) => [o.sn, o]));
    expect(byA.get(w.a[0]!)!.allocation).toMatchObject({ factoryShopId: w.factoryX.shopId, status: 'allocated' });
    expect(byA.get(w.a[1]!)!.allocation).toMatchObject({ status: 'cancelled', cancelReason: 'merchant' });
    expect(byA.get(w.a[3]!)!.allocation).toBeNull();
    // Bindings: each merchant sees only its own.
    const bindingsB = (await as('merchantB', 'GET', '/v1/merchant/bindings')).body as {
      bindings: { merchantShopId: number }[];
    };
    expect(bindingsB.bindings.length).toBe(2);
    expect(bindingsB.bindings.every((x) => x.merchantShopId === w.merchantB.shopId)).toBe(true);
  });

  async function allFactoryOrders(actor: 'factoryX' | 'factoryY'): Promise<FactoryOrderSnapshot[]> {
    const res = await as(actor, 'GET', '/v1/factory/orders', { query: { limit: 1000 } });
    expect(res.status).toBe(200);
    return (res.body as FactoryOrdersResponse).orders;
  }

  async function fullFeed(actor: 'stationX' | 'stationY'): Promise<FeedResponse['changes']> {
    const station = w[actor];
    const changes: FeedResponse['changes'] = [];
    let cursor: string | undefined;
    for (;;) {
      const res = await call(hub(), 'GET', '/v1/station/feed', { token: station.token, query: { cursor, limit: 2 } });
      factorySide.push(JSON.stringify(res.body));
      expect(res.status).toBe(200);
      const page = res.body as FeedResponse;
      changes.push(...page.changes);
      cursor = page.cursor;
      if (!page.hasMore) return changes;
    }
  }

  it('a factory and its stations see exactly the orders allocated to it, now or before, and nothing of others', async () => {
    const xSns = [w.a[0]!, w.a[1]!, w.b[0]!, w.b[3]!];
    const ySns = [w.a[2]!, w.b[1]!];
    const x = await allFactoryOrders('factoryX');
    const y = await allFactoryOrders('factoryY');
    expect(x.map((o) => o.orderSn).sort()).toEqual([...xSns].sort());
    expect(y.map((o) => o.orderSn).sort()).toEqual([...ySns].sort());
    // A cancelled allocation stays visible as cancelled; the auto-un-allocation too (M3).
    const xBySn = new Map(x.map((o) => [o.orderSn, o]));
    expect(xBySn.get(w.a[1]!)).toMatchObject({
      allocation: { status: 'cancelled' },
      printable: false,
      reason: 'allocation_cancelled',
    });
    expect(xBySn.get(w.b[0]!)).toMatchObject({
      allocation: { status: 'cancelled', cancelReason: 'after_sale' },
      printable: false,
    });
    expect(xBySn.get(w.a[0]!)).toMatchObject({ printable: true });

    const feedX = await fullFeed('stationX');
    const feedY = await fullFeed('stationY');
    expect(feedX.map((c) => c.orderSn).sort()).toEqual([...xSns].sort());
    expect(feedY.map((c) => c.orderSn).sort()).toEqual([...ySns].sort());
    for (const c of feedY)
      expect(c.merchantShopId === w.merchantA.shopId || c.merchantShopId === w.merchantB.shopId).toBe(true);
  });

  it('a station of X gets not_allocated for anything not X’s, exactly as for an order that does not exist', async () => {
    const notMine = [w.a[2]!, w.b[1]!, w.a[3]!, w.b[2]!, 'NOPE-404'];
    const res = await as('stationX', 'POST', '/v1/station/check', { body: { orderSns: [...notMine, w.a[0]!] } });
    expect(res.status).toBe(200);
    const results = (res.body as { results: Array<Record<string, unknown>> }).results;
    for (const [i, sn] of notMine.entries()) {
      expect(results[i]).toEqual({
        orderSn: sn,
        printable: false,
        reason: 'not_allocated',
        version: 0,
        addressVersion: 0,
        claim: null,
      });
    }
    expect(results[notMine.length]).toMatchObject({ orderSn: w.a[0], printable: true });
    // Waybills for Y's order, whose number Y's station holds: refused the same way as for an order
    // that does not exist (not printing_elsewhere, which would name Y's station), even with a takeover.
    for (const takeover of [undefined, { reason: '接管' }]) {
      const foreign = await as('stationX', 'POST', '/v1/station/waybills', {
        body: { orderSns: [w.a[2]!], courier: 'ZTO', takeover },
      });
      const none = await as('stationX', 'POST', '/v1/station/waybills', {
        body: { orderSns: ['NOPE-404'], courier: 'ZTO', takeover },
      });
      expect(foreign.status).toBe(none.status);
      expect(normalise(foreign.body, w.a[2]!)).toBe(normalise(none.body, 'NOPE-404'));
      expect(foreign.status).toBeLessThan(500);
    }
    // Nor can X's station return, cancel or reprint Y's number: the same answer as for no such order.
    const yNumber = await hub()
      .db.selectFrom('waybills')
      .select('waybill_no')
      .where('order_sn', '=', w.a[2]!)
      .executeTakeFirstOrThrow();
    const at = '2026-11-27T08:00:00.000Z';
    const clientId = `authz-${w.stationX.stationId}-x`;
    const muts = (sn: string) => [
      { id: 1, type: 'waybill_returned', orderSn: sn, waybillNo: yNumber.waybill_no, printedAt: at },
      { id: 2, type: 'waybill_cancelled', orderSn: sn, waybillNo: yNumber.waybill_no, reason: 'x' },
      { id: 3, type: 'label_reprinted', orderSn: sn, waybillNo: yNumber.waybill_no, reason: 'x', printedAt: at },
    ];
    const pushed = await as('stationX', 'POST', '/v1/station/mutations', {
      body: { clientId, mutations: muts(w.a[2]!) },
    });
    const pushedNone = await as('stationX', 'POST', '/v1/station/mutations', {
      body: { clientId: `${clientId}-none`, mutations: muts('NOPE-404') },
    });
    expect(pushed.status).toBe(200);
    expect(normalise(pushed.body, w.a[2]!)).toBe(normalise(pushedNone.body, 'NOPE-404'));
    expect((pushed.body as { results: Array<{ reason: string }> }).results.map((r) => r.reason)).toEqual([
      'not_allocated',
      'not_allocated',
      'not_allocated',
    ]);
  });

  it('factory Y cannot decide X’s binding requests nor revoke X’s stations: same answer as for ids that do not exist', async () => {
    for (const verb of ['accept', 'reject']) {
      const foreign = await as('factoryY', 'POST', `/v1/factory/bindings/${w.pendingBindingToX}/${verb}`);
      const none = await as('factoryY', 'POST', `/v1/factory/bindings/999999999/${verb}`);
      expect(foreign.status).toBe(none.status);
      expect(normalise(foreign.body, String(w.pendingBindingToX))).toBe(normalise(none.body, '999999999'));
      expect(foreign.status).toBeGreaterThanOrEqual(400);
    }
    const bindingsX = (await as('factoryX', 'GET', '/v1/factory/bindings')).body as {
      bindings: { id: number; status: string; factoryShopId: number }[];
    };
    expect(bindingsX.bindings.find((b) => b.id === w.pendingBindingToX)?.status).toBe('pending');
    expect(bindingsX.bindings.every((b) => b.factoryShopId === w.factoryX.shopId)).toBe(true);
    const bindingsY = (await as('factoryY', 'GET', '/v1/factory/bindings')).body as { bindings: { id: number }[] };
    expect(bindingsY.bindings.some((b) => b.id === w.pendingBindingToX)).toBe(false);

    const revoke = await as('factoryY', 'DELETE', `/v1/factory/stations/${w.stationX.stationId}`);
    const revokeNone = await as('factoryY', 'DELETE', '/v1/factory/stations/999999999');
    expect(revoke.status).toBe(revokeNone.status);
    expect(normalise(revoke.body, String(w.stationX.stationId))).toBe(normalise(revokeNone.body, '999999999'));
    expect((await as('stationX', 'GET', '/v1/station/me')).status).toBe(200);
    const listY = (await as('factoryY', 'GET', '/v1/factory/stations')).body as { stations: { stationId: number }[] };
    expect(listY.stations.map((s) => s.stationId)).toEqual([w.stationY.stationId]);
  });

  it('a revoked station token fails at once, on every station endpoint', async () => {
    const h = hub();
    const st = await pairStation(h, w.factoryX, '马上撤销');
    expect((await call(h, 'GET', '/v1/station/feed', { token: st.token })).status).toBe(200);
    await ok(h, 'DELETE', `/v1/factory/stations/${st.stationId}`, { token: w.factoryX.token });
    for (const [method, path, body] of [
      ['GET', '/v1/station/feed', undefined],
      ['GET', '/v1/station/me', undefined],
      ['POST', '/v1/station/check', { orderSns: [w.a[0]!] }],
      ['POST', '/v1/station/waybills', { orderSns: [w.a[0]!], courier: 'ZTO' }],
      ['POST', '/v1/station/waybills', { orderSns: [w.a[0]!], courier: 'ZTO', takeover: { reason: '接管' } }],
      [
        'POST',
        '/v1/station/mutations',
        {
          clientId: 'revoked-station-client',
          mutations: [
            {
              id: 1,
              type: 'label_reprinted',
              orderSn: w.a[0]!,
              waybillNo: 'ZT123456',
              reason: 'x',
              printedAt: '2026-11-27T08:00:00.000Z',
            },
          ],
        },
      ],
    ] as const) {
      const res = await call(h, method, path, { token: st.token, body });
      expect(res.status, `${method} ${path}`).toBe(401);
      factorySide.push(JSON.stringify(res.body));
    }
  });

  it('M4: no full recipient name, phone or street detail in anything a factory or station received', async () => {
    // Make sure the scan covers the richest answers too: issued waybills (with print payloads).
    const wb = await as('stationX', 'POST', '/v1/station/waybills', { body: { orderSns: [w.a[0]!], courier: 'ZTO' } });
    expect(wb.status).toBe(200);
    await allFactoryOrders('factoryX');
    await fullFeed('stationX');
    expect(factorySide.length).toBeGreaterThan(100);
    const text = factorySide.join('\n');
    // The scan is real: masked forms and region parts are present.
    expect(text).toContain(w.clear[w.clear.length - 1]!.province);
    const leaks: string[] = [];
    for (const r of w.clear) {
      for (const [field, value] of [
        ['name', r.name],
        ['phone', r.phone],
        ['detail', r.detail],
      ] as const) {
        if (text.includes(value)) leaks.push(`${field} ${value}`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
