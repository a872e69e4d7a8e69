/**
 * The hub's lock order under contention (db/tx.ts): writers that lock orders take the factory's
 * version row last, while a merchant's profile change, a station's revocation and feed compaction
 * take it first and lock no order. For a few seconds all of them run at once against one hub — the
 * merchant renaming itself and changing its shipper, the same merchant allocating, cancelling and
 * shipping its orders to two factories, a station taking numbers and returning them, stations being
 * paired, taking numbers and revoked, compaction, and a station pulling the feed. Every request must
 * get its documented answer (never a 5xx), PostgreSQL must report no deadlock and writeTx must retry
 * none for a deadlock or a serialization failure (it would do so silently, so both are counted), and afterwards the feed read from scratch must be
 * the hub's view. Real HTTP throughout; a seeded PRNG (DAIFA_RACE_SEED to replay).
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { ENDPOINTS, ERROR_RESPONSE, type EndpointName } from '../../../shared/api/endpoints.ts';
import type { FactoryOrderSnapshot } from '../../../shared/api/orders.ts';
import { compactFeeds } from '../../../server/stations/feed-compaction.ts';
import { onRetry } from '../../../server/db/tx.ts';
import { mulberry32, type Rng } from '../../../server/seed.ts';
import {
  type ApiResponse,
  bindAndAccept,
  call,
  createFactory,
  createMerchant,
  createOrders,
  DEFAULT_SHIPPER,
  describeEachDb,
  hubContext,
  pairStation,
  type TestHub,
  type TestStation,
} from '../support/hub.ts';
import { factoryView, FeedReader } from '../support/feed-reader.ts';
import { newClientId, returned, returnAddress } from '../support/scenarios.ts';

const SEED = Number(process.env.DAIFA_RACE_SEED ?? 0x10c4);
const RUN_MS = 4_000;
const ORDERS = 60;

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const some = (rng: Rng, xs: readonly string[], max: number): string[] => [
  ...new Set(Array.from({ length: 1 + Math.floor(rng() * max) }, () => pick(rng, xs))),
];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Deadlocks PostgreSQL has detected in this hub's database (its cumulative statistics). */
async function deadlocks(h: TestHub): Promise<number> {
  const { rows } = await sql<{
    n: string;
  }>`SELECT deadlocks::text AS n FROM pg_stat_database WHERE datname = current_database()`.execute(h.db);
  return Number(rows[0]!.n);
}

/** The feed rule for what compaction may remove: finished for this factory, no live number of its. */
function finishedFor(snap: FactoryOrderSnapshot, factoryShopId: number): boolean {
  const done =
    snap.status !== 'awaiting_shipment' ||
    snap.allocation.factoryShopId !== factoryShopId ||
    snap.allocation.status !== 'allocated';
  return done && snap.waybill?.status !== 'issued';
}

describeEachDb('lock order under contention', ({ hub, dialect }) => {
  it(`profile changes, allocations, shipments, numbers, revocations and compaction racing for at least ${RUN_MS} ms: no deadlock, no 5xx, the feed equals the hub (seed ${SEED})`, async () => {
    const h = hub();
    const merchant = await createMerchant(h, '竞速商家');
    const x = await createFactory(h, '竞速X厂');
    const y = await createFactory(h, '竞速Y厂');
    await bindAndAccept(h, merchant, x);
    await bindAndAccept(h, merchant, y);
    const sns = await createOrders(h, merchant, ORDERS);
    const addressId = await returnAddress(h, merchant);
    const printer = await pairStation(h, x, '取号站');
    const reader = new FeedReader(h, await pairStation(h, x, '读者站'));
    // Every order starts in a feed (the first ten in Y's, the rest in X's), so profile changes have
    // entries to rewrite from the first one, and both factories have orders however the race goes.
    for (const [factory, orderSns] of [
      [y, sns.slice(0, 10)],
      [x, sns.slice(10)],
    ] as const) {
      const start = await call(h, 'POST', '/v1/merchant/allocations', {
        token: merchant.token,
        body: { factoryShopId: factory.shopId, orderSns },
      });
      expect(start.status).toBe(200);
    }
    const deadlocksBefore = dialect === 'postgres' ? await deadlocks(h) : 0;
    const retries: Record<string, number> = {};
    const stopCounting = onRetry(h.db, (r) => (retries[r.cause] = (retries[r.cause] ?? 0) + 1));

    const counts: Record<string, number> = {};
    const wrong: string[] = [];
    /** The answer must be one the endpoint table documents for this endpoint, body included. */
    function documented(name: EndpointName, what: string, res: ApiResponse): boolean {
      const schema = (ENDPOINTS[name].response as Record<number, { safeParse(v: unknown): { success: boolean } }>)[
        res.status
      ];
      counts[`${name} ${res.status}`] = (counts[`${name} ${res.status}`] ?? 0) + 1;
      if (!schema || !schema.safeParse(res.body).success) {
        wrong.push(`${name} ${what} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        return false;
      }
      return true;
    }

    let revoked = 0;
    let compactions = 0;
    // RUN_MS at least, and on a slow machine until every kind of writer has succeeded a few times
    // (checked below), up to 5 × RUN_MS.
    const deadline = Date.now() + RUN_MS;
    const hardDeadline = Date.now() + 5 * RUN_MS;
    const WRITERS = ['setRole', 'allocate', 'cancelAllocation', 'ship', 'issueWaybills', 'pushMutations'] as const;
    const ranEnough = () =>
      WRITERS.every((name) => (counts[`${name} 200`] ?? 0) >= 5) && revoked >= 3 && compactions >= 5;
    const running = () => Date.now() < deadline || (Date.now() < hardDeadline && !ranEnough());
    const rngs = Array.from({ length: 6 }, (_, i) => mulberry32(SEED + i * 7919));

    // The merchant's display name and shipper: every entry of its orders in both feeds is rewritten.
    let profile = { displayName: '竞速商家', shipper: DEFAULT_SHIPPER };
    const profileLoop = (async (rng: Rng) => {
      for (let i = 1; running(); i++) {
        const next = {
          displayName: `竞速商家${i}`,
          shipper:
            rng() < 0.5 ? DEFAULT_SHIPPER : { ...DEFAULT_SHIPPER, phone: `1390000${String(i).padStart(4, '0')}` },
        };
        const res = await call(h, 'PUT', '/v1/me/role', { token: merchant.token, body: { role: 'merchant', ...next } });
        if (documented('setRole', next.displayName, res)) profile = next;
        if (rng() < 0.3) await sleep(1);
      }
    })(rngs[0]!);

    // The same merchant's orders: allocate (to X mostly), cancel allocations, ship what was returned.
    const merchantLoop = (async (rng: Rng) => {
      while (running()) {
        const r = rng();
        if (r < 0.45) {
          const orderSns = some(rng, sns, 5);
          const factoryShopId = rng() < 0.75 ? x.shopId : y.shopId;
          documented(
            'allocate',
            orderSns.join(' '),
            await call(h, 'POST', '/v1/merchant/allocations', {
              token: merchant.token,
              body: { factoryShopId, orderSns },
            }),
          );
        } else if (r < 0.7) {
          const orderSns = some(rng, sns, 3);
          documented(
            'cancelAllocation',
            orderSns.join(' '),
            await call(h, 'POST', '/v1/merchant/allocations/cancel', { token: merchant.token, body: { orderSns } }),
          );
        } else {
          const orderSns = some(rng, sns, 3);
          documented(
            'ship',
            orderSns.join(' '),
            await call(h, 'POST', '/v1/merchant/shipments', {
              token: merchant.token,
              body: { orderSns, returnAddressId: addressId },
            }),
          );
        }
      }
    })(rngs[1]!);

    /** Take numbers for some orders; returns those issued. */
    async function take(rng: Rng, station: TestStation): Promise<{ sn: string; no: string }[]> {
      const orderSns = some(rng, sns, 4);
      const res = await call(h, 'POST', '/v1/station/waybills', {
        token: station.token,
        body: { orderSns, courier: 'ZTO' },
      });
      if (!documented('issueWaybills', orderSns.join(' '), res)) return [];
      return (res.body as { results: { orderSn: string; status: string; waybillNo?: string }[] }).results.flatMap(
        (w) => (w.status === 'issued' ? [{ sn: w.orderSn, no: w.waybillNo! }] : []),
      );
    }

    // X's printing station: takes numbers and returns (回传) them, so orders become shippable.
    const printerLoop = (async (rng: Rng) => {
      const clientId = newClientId();
      let id = 0;
      while (running()) {
        const issued = await take(rng, printer);
        if (issued.length === 0) continue;
        documented(
          'pushMutations',
          issued.map((w) => w.sn).join(' '),
          await call(h, 'POST', '/v1/station/mutations', {
            token: printer.token,
            body: { clientId, mutations: issued.map((w) => returned(++id, w.sn, w.no)) },
          }),
        );
      }
    })(rngs[2]!);

    // Short-lived stations of X: paired, take numbers they never return, revoked (their claims go to
    // the feed), and the revoked token is refused at once.
    const revokeLoop = (async (rng: Rng) => {
      for (let n = 1; running(); n++) {
        const station = await pairStation(h, x, `临时站${n}`);
        await take(rng, station);
        const res = await call(h, 'DELETE', `/v1/factory/stations/${station.stationId}`, { token: x.token });
        if (documented('revokeStation', `临时站${n}`, res)) revoked++;
        const after = await call(h, 'GET', '/v1/station/me', { token: station.token });
        if (after.status !== 401 || !ERROR_RESPONSE.safeParse(after.body).success) {
          wrong.push(`revoked station ${station.stationId} → ${after.status} ${JSON.stringify(after.body)}`);
        }
      }
    })(rngs[3]!);

    // Compaction with no retention: every run moves the horizon to the version it just recorded.
    let compacted = 0;
    const compactLoop = (async () => {
      while (running()) {
        try {
          const r = await compactFeeds(hubContext(h), 0);
          compactions++;
          compacted += r.removed;
        } catch (e) {
          wrong.push(`compaction → ${String(e)}`);
        }
        await sleep(20);
      }
    })();

    // A station pulling X's feed meanwhile, in small pages.
    const readLoop = (async (rng: Rng) => {
      while (running()) {
        await reader.pull(1 + Math.floor(rng() * 10));
        if (rng() < 0.3) await sleep(2);
      }
    })(rngs[4]!);

    await Promise.all([profileLoop, merchantLoop, printerLoop, revokeLoop, compactLoop, readLoop]);
    stopCounting();
    console.info(`lock-order race [${dialect}]: writeTx retries ${JSON.stringify(retries)}`);

    expect(wrong).toEqual([]);
    // Writers run at READ COMMITTED, so a serialization failure would be a change of isolation somewhere,
    // and a deadlock a broken lock order: both are retried silently in production, and must not happen.
    expect(retries['40P01'] ?? 0, 'deadlocks retried by writeTx').toBe(0);
    expect(retries['40001'] ?? 0, 'serialization failures retried by writeTx').toBe(0);
    if (dialect === 'postgres') {
      // A backend reports its counters when idle, at most once a second.
      await sleep(1_100);
      expect(await deadlocks(h), 'deadlocks PostgreSQL detected (and writeTx retried)').toBe(deadlocksBefore);
    }
    // The race really ran: every kind of writer succeeded many times.
    for (const name of WRITERS) {
      expect(counts[`${name} 200`] ?? 0, name).toBeGreaterThanOrEqual(5);
    }
    expect(revoked).toBeGreaterThanOrEqual(3);
    expect(compactions).toBeGreaterThanOrEqual(5);

    // The station that pulled throughout, once caught up, and a station reading from scratch both see
    // the hub's view of every order still in the feed; orders no longer there are finished ones.
    await reader.drain(50);
    for (const f of [x, y]) {
      const hubView = await factoryView(h, f);
      const fresh = new FeedReader(h, await pairStation(h, f, '新站'));
      await fresh.drain(17);
      for (const [sn, snap] of fresh.view) expect(snap, `${sn} fresh`).toEqual(hubView.get(sn));
      for (const [sn, snap] of hubView) {
        if (!fresh.view.has(sn)) expect(finishedFor(snap, f.shopId), `${sn} left the feed unfinished`).toBe(true);
      }
      if (f === x) for (const [sn, snap] of fresh.view) expect(reader.view.get(sn), `${sn} reader`).toEqual(snap);
      // The last profile change is what every snapshot of the merchant's orders says.
      for (const snap of fresh.view.values()) {
        expect([snap.merchantDisplayName, snap.shipper]).toEqual([profile.displayName, profile.shipper]);
      }
      expect(hubView.size).toBeGreaterThan(0);
      // Y takes no numbers: all its orders may be finished and compacted away; X's printer keeps some live.
      if (f === x) expect(fresh.view.size).toBeGreaterThan(0);
    }

    console.info(
      `[lock-order-race ${dialect}] seed ${SEED}: ${reader.pulls} pulls, ${reader.resets} resets, ` +
        `${compactions} compactions removing ${compacted} rows, ${revoked} revocations; ${JSON.stringify(counts)}`,
    );
  });
});
