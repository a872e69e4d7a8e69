/**
 * Feed property test (issue 3 acceptance, D1, DESIGN §4): many concurrent writers — allocate,
 * cancel allocation, address change, after-sale open/close, audit hold/release, order cancelled,
 * waybill issue — against one station pulling the feed in a loop with small pages. At the end the
 * station's view (changes and resets applied) equals the hub's current view of the factory's
 * orders, on SQLite and on PostgreSQL (where the writers run on several pool connections at once,
 * so commit order really interleaves). Real HTTP throughout; a seeded PRNG (DAIFA_FEED_SEED to replay).
 */
import { expect, it } from 'vitest';
import type { CheckResponse } from '../../../shared/api/stations.ts';
import { printability } from '../../../shared/domain/rules.ts';
import { mulberry32, randomRecipient, type Rng } from '../../../server/seed.ts';
import {
  bindAndAccept,
  call,
  createFactory,
  createMerchant,
  createOrders,
  describeEachDb,
  ok,
  pairStation,
  type TestShop,
} from '../support/hub.ts';
import { factoryView, FeedReader } from '../support/feed-reader.ts';

const SEED = Number(process.env.DAIFA_FEED_SEED ?? 0x5eed);
const ORDERS_PER_MERCHANT = 40;
const WRITERS = 8;
const ROUNDS = 8;
const OPS_PER_WRITER_PER_ROUND = 6;

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Owned {
  sn: string;
  merchant: TestShop;
}

describeEachDb('feed property: concurrent writers, one reader', ({ hub, dialect }) => {
  it(`the reader's view equals the hub's after ${ROUNDS} rounds of ${WRITERS}×${OPS_PER_WRITER_PER_ROUND} concurrent changes (seed ${SEED})`, async () => {
    const h = hub();
    const m1 = await createMerchant(h, '并发商家一');
    const m2 = await createMerchant(h, '并发商家二');
    const x = await createFactory(h, '被观察的X厂');
    const z = await createFactory(h, '另一个Z厂');
    for (const m of [m1, m2]) for (const f of [x, z]) await bindAndAccept(h, m, f);
    const owned: Owned[] = [];
    for (const m of [m1, m2]) {
      const sns = await createOrders(h, m, ORDERS_PER_MERCHANT);
      owned.push(...sns.map((sn) => ({ sn, merchant: m })));
    }
    const stationX = await pairStation(h, x, '读者站');
    const writerStation = await pairStation(h, x, '取号站');
    const reader = new FeedReader(h, stationX);

    const counts: Record<string, number> = {};
    const failures: string[] = [];
    /** One random change through the API; 4xx answers are business refusals (e.g. an event on a cancelled order). */
    async function randomOp(rng: Rng): Promise<void> {
      const r = rng();
      const o = pick(rng, owned);
      let op: string;
      let res;
      if (r < 0.3) {
        op = 'allocate';
        const mine = owned.filter((q) => q.merchant === o.merchant);
        const sns = Array.from({ length: 1 + Math.floor(rng() * 5) }, () => pick(rng, mine).sn);
        res = await call(h, 'POST', '/v1/merchant/allocations', {
          token: o.merchant.token,
          body: { factoryShopId: rng() < 0.75 ? x.shopId : z.shopId, orderSns: [...new Set(sns)] },
        });
      } else if (r < 0.45) {
        op = 'cancel_allocation';
        const mine = owned.filter((q) => q.merchant === o.merchant);
        const sns = Array.from({ length: 1 + Math.floor(rng() * 3) }, () => pick(rng, mine).sn);
        res = await call(h, 'POST', '/v1/merchant/allocations/cancel', {
          token: o.merchant.token,
          body: { orderSns: [...new Set(sns)] },
        });
      } else if (r < 0.93) {
        const type = pick(rng, [
          'address_changed',
          'address_changed',
          'after_sale_opened',
          'after_sale_closed',
          'audit_hold',
          'audit_released',
          'after_sale_closed',
          'audit_released',
        ] as const);
        op = type;
        const body = type === 'address_changed' ? { type, recipient: randomRecipient(rng, 0) } : { type };
        res = await call(h, 'POST', `/v1/platform/orders/${o.sn}/events`, { token: h.adminToken, body });
      } else if (r < 0.98) {
        op = 'waybill';
        res = await call(h, 'POST', '/v1/station/waybills', {
          token: writerStation.token,
          body: { orderSns: [o.sn], courier: 'ZTO' },
        });
      } else {
        op = 'cancelled';
        res = await call(h, 'POST', `/v1/platform/orders/${o.sn}/events`, {
          token: h.adminToken,
          body: { type: 'cancelled' },
        });
      }
      counts[`${op} ${res.status}`] = (counts[`${op} ${res.status}`] ?? 0) + 1;
      if (res.status >= 500) failures.push(`${op} ${o.sn} → ${res.status} ${JSON.stringify(res.body)}`);
    }

    // Rounds: in each, the writers race the reader; then the reader catches up and its view must
    // equal the hub's. Checking every round (not only at the end) catches a skipped change before a
    // later change to the same order can paper over it.
    const writerRngs = Array.from({ length: WRITERS }, (_, i) => mulberry32(SEED + i * 7919));
    const readerRng = mulberry32(SEED ^ 0xfeed);
    let forcedReset = false;
    for (let round = 0; round < ROUNDS; round++) {
      let writersDone = false;
      const writers = writerRngs.map(async (rng) => {
        for (let k = 0; k < OPS_PER_WRITER_PER_ROUND; k++) {
          await randomOp(rng);
          if (rng() < 0.2) await sleep(Math.floor(rng() * 3));
        }
      });
      const readerLoop = (async () => {
        while (!writersDone) {
          await reader.pull(1 + Math.floor(readerRng() * 7));
          // Once, mid-run, the station presents a cursor the hub cannot serve: it must get a reset.
          if (!forcedReset && round === Math.floor(ROUNDS / 2)) {
            forcedReset = true;
            const page = await reader.pull(3, 'not-a-cursor');
            expect(page.reset).toBe(true);
          }
          if (readerRng() < 0.3) await sleep(1);
        }
      })();
      await Promise.all(writers);
      writersDone = true;
      await readerLoop;
      await reader.drain(5);
      const hubView = await factoryView(h, x);
      expect([...reader.view.keys()].sort(), `round ${round}`).toEqual([...hubView.keys()].sort());
      for (const [sn, snap] of hubView) expect(reader.view.get(sn), `round ${round}: ${sn}`).toEqual(snap);
    }

    expect(failures).toEqual([]);
    // The run did real work: most kinds of change happened and the reader pulled while they did.
    const okOps = Object.entries(counts).filter(([k]) => / 200$/.test(k));
    expect(okOps.length).toBeGreaterThanOrEqual(6);
    expect(reader.pulls).toBeGreaterThan(ROUNDS * 3);
    expect(reader.resets).toBeGreaterThanOrEqual(2); // the first pull and the forced one

    // The property held after every round (above); the final view is a real one.
    const hubView = await factoryView(h, x);
    expect(hubView.size).toBeGreaterThan(10);

    // A fresh station starting from nothing gets the same, and so does the guard check.
    const fresh = new FeedReader(h, stationX);
    await fresh.drain(1000);
    expect(fresh.view).toEqual(reader.view);
    const sns = [...hubView.keys()];
    const checked = await ok<CheckResponse>(h, 'POST', '/v1/station/check', {
      token: stationX.token,
      body: { orderSns: sns },
    });
    for (const c of checked.results) {
      const snap = reader.view.get(c.orderSn)!;
      // The snapshot's printable is the factory's; the check is the asking station's, which does not hold
      // the numbers the writer station took (printing_elsewhere): the cached snapshot tells it the same.
      const forReader = printability(snap, { factoryShopId: x.shopId, stationId: stationX.stationId });
      expect({
        printable: c.printable,
        reason: c.reason,
        version: c.version,
        addressVersion: c.addressVersion,
        claim: c.claim,
      }).toEqual({
        printable: forReader.printable,
        reason: forReader.printable ? null : forReader.reason,
        version: snap.version,
        addressVersion: snap.addressVersion,
        claim: snap.waybill?.claim ? { stationId: snap.waybill.claim.stationId, stationName: '取号站' } : null,
      });
    }
    // The station that took the numbers may print exactly what the snapshots say is printable.
    const byWriter = await ok<CheckResponse>(h, 'POST', '/v1/station/check', {
      token: writerStation.token,
      body: { orderSns: sns },
    });
    for (const c of byWriter.results) {
      const snap = reader.view.get(c.orderSn)!;
      expect([c.printable, c.reason], c.orderSn).toEqual([snap.printable, snap.reason]);
    }
    expect(checked.results.some((c) => c.reason === 'printing_elsewhere')).toBe(true);

    // Z's orders never reached X's feed unless X had them first; Z's own full pull equals its view.
    const zView = await factoryView(h, z);
    const stationZ = await pairStation(h, z, 'Z站');
    const zReader = new FeedReader(h, stationZ);
    await zReader.drain(4);
    expect(zReader.view).toEqual(zView);
    for (const snap of reader.view.values()) expect(snap.allocation.factoryShopId).toBe(x.shopId);

    console.info(
      `[feed-property ${dialect}] seed ${SEED}: ${reader.pulls} pulls, ${reader.changes} changes applied, ` +
        `${reader.resets} resets, ${hubView.size} orders in X's view; ops ${JSON.stringify(counts)}`,
    );
  });
});
