/**
 * Two hub processes on one PostgreSQL behind Caddy, run from the Caddyfile the README documents: every
 * guarantee of one hub holds across the two — the feed's order (a change committed late through one
 * node is never skipped by a station pulling through the other), exactly-once returns, the statement
 * limit, the rate limits — and the push channel reaches a station whichever node made the change. The
 * balancer's health checks take a stopped node out: requests keep being answered and a station's
 * event stream comes back through the other node.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedResponse } from '../../../shared/api/stations.ts';
import type { FactoryOrderSnapshot } from '../../../shared/api/orders.ts';
import { openDb, type HubDb } from '../../../server/db/open.ts';
import {
  allocate,
  bindAndAccept,
  call,
  createFactory,
  createMerchant,
  createOrders,
  freshDatabase,
  IN_CI,
  ok,
  pairStation,
  PG_URL,
  platformEvent,
  type TestHub,
  type TestShop,
  type TestStation,
} from '../support/hub.ts';
import { issueNumbers, newClientId, push, returned, setClock } from '../support/scenarios.ts';
import { openEventStream } from '../support/event-stream.ts';
import { startHubProcess, type HubProcess } from '../../support/station.ts';
import { caddyAvailable, startCaddy, type Caddy } from '../../support/caddy.ts';

const missing = !PG_URL ? 'PostgreSQL (DAIFA_TEST_PG_URL)' : !caddyAvailable() ? 'caddy (apt-get install caddy)' : null;

if (missing && IN_CI) {
  describe('two hubs on one PostgreSQL behind Caddy', () => {
    it(`needs ${missing} in CI`, () => {
      throw new Error(`CI=true but ${missing} is missing: the two-node suite must not be skipped in CI`);
    });
  });
} else if (missing) {
  console.warn(`\n!! two-node suite SKIPPED: it needs ${missing}\n`);
  describe.skip(`two hubs on one PostgreSQL behind Caddy — SKIPPED: needs ${missing}`, () => undefined);
} else {
  describe('two hubs on one PostgreSQL behind Caddy', () => {
    let nodes: [HubProcess, HubProcess];
    let caddy: Caddy;
    let db: HubDb;
    let drop: () => Promise<void>;
    /** The helpers' view of a hub: through the balancer, or one node directly. */
    let lb: TestHub;
    let a: TestHub;
    let b: TestHub;

    beforeAll(async () => {
      const fresh = await freshDatabase('postgres');
      drop = fresh.drop;
      const adminToken = `admin-two-${Date.now()}`;
      const env = {
        HUB_RATE_LIMIT_PUBLIC: 'off',
        HUB_RATE_LIMIT_BULK: '20/1m',
        HUB_EVENTS_HEARTBEAT_MS: '1000',
        HUB_TRUST_PROXY: '127.0.0.1',
      };
      const first = await startHubProcess({ dialect: 'postgres', databaseUrl: fresh.url, adminToken, env });
      const second = await startHubProcess({ dialect: 'postgres', databaseUrl: fresh.url, adminToken, env });
      nodes = [first, second];
      caddy = await startCaddy(nodes.map((n) => n.url));
      db = await openDb(fresh.url, { migrate: false });
      a = first.asTestHub();
      b = second.asTestHub();
      lb = { ...a, url: caddy.url } as TestHub;
    }, 120_000);
    afterAll(async () => {
      await caddy?.close();
      await db?.destroy();
      for (const n of nodes ?? []) await n.close();
      await drop?.();
    });

    async function boundFactory(): Promise<{ merchant: TestShop; factory: TestShop; station: TestStation }> {
      const merchant = await createMerchant(lb);
      const factory = await createFactory(lb);
      await bindAndAccept(lb, merchant, factory);
      return { merchant, factory, station: await pairStation(lb, factory) };
    }

    it('a station pulling through the balancer sees every change of both nodes, in version order, none skipped', async () => {
      const { merchant, factory, station } = await boundFactory();
      const sns = await createOrders(lb, merchant, 120);
      const view = new Map<string, FactoryOrderSnapshot>();
      let cursor: string | undefined;
      let lastVersion = 0;
      const pullOnce = async () => {
        for (;;) {
          const page = await ok<FeedResponse>(lb, 'GET', '/v1/station/feed', {
            token: station.token,
            query: { cursor, limit: 7 },
          });
          expect(page.reset).toBe(cursor === undefined);
          for (const c of page.changes) {
            expect(c.version).toBeGreaterThan(lastVersion);
            lastVersion = c.version;
            view.set(c.orderSn, c);
          }
          cursor = page.cursor;
          if (!page.hasMore) return;
        }
      };
      let writing = true;
      const reader = (async () => {
        while (writing) {
          await pullOnce();
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      // Two writers, one per node, committing concurrently; then orders turn abnormal through both.
      const half = (from: number, node: TestHub) =>
        (async () => {
          for (let i = from; i < from + 60; i += 10)
            await allocate(node, merchant, factory.shopId, sns.slice(i, i + 10));
        })();
      await Promise.all([half(0, a), half(60, b)]);
      await Promise.all(
        sns
          .filter((_, i) => i % 6 === 0)
          .map((sn, i) => platformEvent(i % 2 ? a : b, sn, { type: i % 4 < 2 ? 'after_sale_opened' : 'audit_hold' })),
      );
      writing = false;
      await reader;
      await pullOnce();

      // The incremental view equals what a station starting from scratch gets now.
      const fresh = new Map<string, FactoryOrderSnapshot>();
      let c: string | undefined;
      for (;;) {
        const page = await ok<FeedResponse>(b, 'GET', '/v1/station/feed', {
          token: station.token,
          query: { cursor: c },
        });
        for (const ch of page.changes) fresh.set(ch.orderSn, ch);
        c = page.cursor;
        if (!page.hasMore) break;
      }
      expect(fresh.size).toBe(120);
      expect(new Map([...view].map(([sn, s]) => [sn, [s.version, s.printable, s.reason]]))).toEqual(
        new Map([...fresh].map(([sn, s]) => [sn, [s.version, s.printable, s.reason]])),
      );
      expect([...fresh.values()].filter((s) => !s.printable)).toHaveLength(20);
    });

    it('the same returns pushed to both nodes at once are applied exactly once', async () => {
      const { merchant, factory, station } = await boundFactory();
      const sns = await createOrders(lb, merchant, 10);
      await allocate(lb, merchant, factory.shopId, sns);
      const numbers = await issueNumbers(a, station, sns);
      const clientId = newClientId();
      const batch = sns.map((sn, i) => returned(i + 1, sn, numbers[i]!));
      const answers = await Promise.all([a, b, lb, a, b].map((node) => push(node, station, clientId, batch)));
      for (const r of answers) {
        expect(r.status).toBe(200);
        expect(r.body.lastMutationId).toBe(10);
        expect(r.body.results.map((x) => x.status)).toEqual(Array(10).fill('applied'));
      }
      const rows = await db
        .selectFrom('mutation_results')
        .select('mutation_id')
        .where('client_id', '=', clientId)
        .execute();
      expect(rows).toHaveLength(10);
      const returnedRows = await db
        .selectFrom('waybills')
        .select(['waybill_no', 'status', 'returned_at'])
        .where('waybill_no', 'in', numbers)
        .execute();
      expect(returnedRows.map((w) => w.status)).toEqual(Array(10).fill('returned'));
      // A gap is refused by either node.
      const gap = await push(b, station, clientId, [returned(12, sns[0]!, numbers[0]!)]);
      expect(gap.status).toBe(409);
      expect(gap.body.error).toMatchObject({ code: 'MUTATION_GAP', lastMutationId: 10 });
    });

    it('the statement limit counts statements made through either node', async () => {
      const merchant = await createMerchant(lb);
      const factory = await createFactory(lb);
      await bindAndAccept(lb, merchant, factory);
      const body = {
        factoryShopId: factory.shopId,
        from: '2026-11-01T00:00:00+08:00',
        to: '2026-12-01T00:00:00+08:00',
      };
      const create = (node: TestHub) => call(node, 'POST', '/v1/merchant/statements', { token: merchant.token, body });
      // Each node has its own test clock: move both.
      const at = (iso: string) => Promise.all([setClock(a, iso), setClock(b, iso)]);
      await at('2026-11-27T02:00:00.000Z');
      expect((await create(a)).status).toBe(202);
      const soon = await create(b);
      expect(soon.status).toBe(429);
      expect(soon.body.error).toMatchObject({ code: 'STATEMENT_LIMIT', reason: 'too_soon' });
      await at('2026-11-27T02:11:00.000Z');
      expect((await create(b)).status).toBe(202);
      await at('2026-11-27T02:22:00.000Z');
      expect((await create(lb)).status).toBe(202);
      await at('2026-11-27T02:33:00.000Z');
      const fourth = await create(a);
      expect(fourth.status).toBe(429);
      expect(fourth.body.error).toMatchObject({ code: 'STATEMENT_LIMIT', reason: 'daily_limit' });
    });

    it('a rate limit counts the requests of one caller across both nodes', async () => {
      const merchant = await createMerchant(lb);
      const factory = await createFactory(lb);
      await bindAndAccept(lb, merchant, factory);
      const [sn] = await createOrders(lb, merchant, 1);
      const statuses: number[] = [];
      for (let i = 0; i < 24; i++) {
        const node = [a, b, lb][i % 3]!;
        const r = await call(node, 'POST', '/v1/merchant/allocations/cancel', {
          token: merchant.token,
          body: { orderSns: [sn] },
        });
        statuses.push(r.status);
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(20);
      expect(statuses.slice(20)).toEqual([429, 429, 429, 429]);
    });

    it('a change made through one node reaches a station streaming from the other within 1 s', async () => {
      const { merchant, factory, station } = await boundFactory();
      const sns = await createOrders(lb, merchant, 2);
      const onB = await openEventStream(b.url, station.token);
      const viaLb = await openEventStream(lb.url, station.token);
      const head = (s: typeof onB) =>
        s.next((e) => e.event === 'ready').then((r) => (r.event.data as { version: number }).version);
      const [v0] = await Promise.all([head(onB), head(viaLb)]);
      const newer = (than: number) => (e: { event: string; data: unknown }) =>
        e.event === 'feed' && ((e.data as { version: number | null }).version ?? 0) > than;

      let t0 = performance.now();
      await allocate(a, merchant, factory.shopId, sns);
      const [e1, e2] = await Promise.all([onB.next(newer(v0!), 1000), viaLb.next(newer(v0!), 1000)]);
      expect(Math.max(e1.at, e2.at) - t0).toBeLessThan(1000);

      const v1 = (e1.event.data as { version: number }).version;
      t0 = performance.now();
      await platformEvent(b, sns[0]!, { type: 'after_sale_opened' });
      const [e3, e4] = await Promise.all([onB.next(newer(v1), 1000), viaLb.next(newer(v1), 1000)]);
      expect(Math.max(e3.at, e4.at) - t0).toBeLessThan(1000);
      onB.close();
      viaLb.close();
    });

    it('the balancer takes a stopped node out: requests keep being answered and streams come back', async () => {
      const { station } = await boundFactory();
      const streams = await Promise.all([1, 2, 3, 4].map(() => openEventStream(lb.url, station.token)));
      await Promise.all(streams.map((s) => s.next((e) => e.event === 'ready')));
      for (const down of nodes) {
        await down.stop('SIGTERM');
        const answered: number[] = [];
        for (let i = 0; i < 20; i++) {
          answered.push((await call(lb, 'GET', '/v1/station/me', { token: station.token })).status);
        }
        expect(answered).toEqual(Array(20).fill(200));
        // A station whose stream was on the stopped node reconnects through the balancer.
        const again = await openEventStream(lb.url, station.token);
        expect(again.status).toBe(200);
        await again.next((e) => e.event === 'ready');
        again.close();
        await down.start();
        // Back in rotation once its health check passes (every 2 s).
        await new Promise((r) => setTimeout(r, 2500));
      }
      // Each node was stopped once: every stream opened before has ended (none hangs on a dead node).
      const ended = await Promise.all(
        streams.map((s) =>
          Promise.race([s.ended.then(() => true), new Promise((r) => setTimeout(() => r(false), 1000))]),
        ),
      );
      expect(ended).toEqual([true, true, true, true]);
    });
  });
}
