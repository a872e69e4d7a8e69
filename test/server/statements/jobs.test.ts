/**
 * Statements are durable jobs: a hub that stops (or dies mid-build) leaves them pending, and the
 * next hub on the same database finishes them, with no row lost or doubled. On PostgreSQL two hubs
 * share the work (FOR UPDATE SKIP LOCKED) and still build each statement exactly once.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  IN_CI,
  PG_URL,
  allocate,
  bindAndAccept,
  call,
  createFactory,
  createMerchant,
  createOrders,
  listenHub,
  freshDatabase,
  ok,
  pairStation,
  type Dialect,
  type TestHub,
  type TestShop,
} from '../support/hub.ts';
import { issueAndReturn } from '../support/scenarios.ts';

/** A hub on a shared database, with or without the statement worker (the env var is read by buildApp). */
async function hubOn(dialect: Dialect, databaseUrl: string, adminToken: string, worker: boolean): Promise<TestHub> {
  const saved = process.env.HUB_STATEMENT_WORKER;
  process.env.HUB_STATEMENT_WORKER = worker ? 'on' : 'off';
  try {
    return await listenHub({ dialect, databaseUrl, adminToken, now: new Date('2026-11-27T04:00:00.000Z') });
  } finally {
    if (saved === undefined) delete process.env.HUB_STATEMENT_WORKER;
    else process.env.HUB_STATEMENT_WORKER = saved;
  }
}

const RANGE = { from: '2026-11-01T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00' };

async function pairWithReturns(
  h: TestHub,
  n: number,
): Promise<{ merchant: TestShop; factory: TestShop; sns: string[] }> {
  const merchant = await createMerchant(h);
  const factory = await createFactory(h);
  await bindAndAccept(h, merchant, factory);
  const station = await pairStation(h, factory);
  const sns = await createOrders(h, merchant, n);
  await allocate(h, merchant, factory.shopId, sns);
  await ok(h, 'PUT', '/v1/factory/prices', {
    token: factory.token,
    body: ['SKU-0', 'SKU-1', 'SKU-2'].map((skuId) => ({ merchantShopId: merchant.shopId, skuId, priceFen: 800 })),
  });
  await issueAndReturn(h, station, sns);
  return { merchant, factory, sns };
}

async function statusOf(h: TestHub, merchant: TestShop, id: number) {
  return (await ok(h, 'GET', `/v1/merchant/statements/${id}`, { token: merchant.token })).statement;
}

async function waitAllReady(h: TestHub, items: Array<{ merchant: TestShop; id: number }>) {
  for (let i = 0; i < 300; i++) {
    const st = await Promise.all(items.map((x) => statusOf(h, x.merchant, x.id)));
    if (st.every((s) => s.status !== 'pending')) return st;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('statements still pending');
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  const title = `statement jobs survive a hub restart [${dialect}]`;
  if (dialect === 'postgres' && !PG_URL) {
    if (IN_CI) {
      describe(title, () => {
        it('needs PostgreSQL (DAIFA_TEST_PG_URL) in CI', () => {
          throw new Error('CI=true but DAIFA_TEST_PG_URL is unset');
        });
      });
    } else {
      console.warn('PostgreSQL run SKIPPED: set DAIFA_TEST_PG_URL');
      describe.skip(`${title} — PostgreSQL run SKIPPED: set DAIFA_TEST_PG_URL`, () => undefined);
    }
    continue;
  }

  describe(title, () => {
    it('a statement left pending (and one abandoned mid-build) is finished by the next hub, exactly once', async () => {
      const { url, drop } = await freshDatabase(dialect);
      const adminToken = `admin-${randomBytes(8).toString('hex')}`;
      try {
        // Hub 1: no worker, so the statements stay pending when it stops.
        const h1 = await hubOn(dialect, url, adminToken, false);
        const a = await pairWithReturns(h1, 30);
        const b = await pairWithReturns(h1, 12);
        const created = await Promise.all(
          [a, b].map((p) =>
            ok(h1, 'POST', '/v1/merchant/statements', {
              token: p.merchant.token,
              body: { factoryShopId: p.factory.shopId, ...RANGE },
            }),
          ),
        );
        const [idA, idB] = created.map((c) => c.statement.id as number);
        expect(created.map((c) => c.statement.status)).toEqual(['pending', 'pending']);
        const early = await call(h1, 'GET', `/v1/merchant/statements/${idA}/download`, { token: a.merchant.token });
        expect(early.status).toBe(409);
        expect(early.body.error.code).toBe('STATEMENT_NOT_READY');
        // Statement B was claimed by a hub that then died after writing part of its rows.
        await h1.db
          .updateTable('statements')
          .set({ lease_owner: 'hub-that-died', lease_until_ms: Date.now() - 1, attempts: 1 })
          .where('id', '=', idB!)
          .execute();
        await h1.db
          .insertInto('statement_rows')
          .values({
            statement_id: idB!,
            seq: 1,
            order_sn: 'PARTIAL',
            goods_name: 'x',
            spec: '',
            sku_id: 'x',
            quantity: 1,
            unit_price_fen: 1,
            amount_fen: 1,
            courier: 'ZTO',
            waybill_no: 'x',
            allocated_at: '',
            returned_at: '',
          })
          .execute();
        await h1.close();

        // Hub 2 on the same database runs the job.
        const h2 = await hubOn(dialect, url, adminToken, true);
        try {
          const [sa, sb] = await waitAllReady(h2, [
            { merchant: a.merchant, id: idA! },
            { merchant: b.merchant, id: idB! },
          ]);
          expect(sa).toMatchObject({ status: 'ready', orderCount: 30 });
          expect(sb).toMatchObject({ status: 'ready', orderCount: 12, missingPriceRows: 0 });
          const rows = await h2.db
            .selectFrom('statement_rows')
            .select(['statement_id', 'order_sn'])
            .where('statement_id', 'in', [idA!, idB!])
            .execute();
          const bySt = (id: number) => rows.filter((r) => r.statement_id === id).map((r) => r.order_sn);
          expect(bySt(idA!).sort()).toEqual([...a.sns].sort());
          expect(bySt(idB!).sort()).toEqual([...b.sns].sort()); // the partial row is gone, nothing doubled
          const csv = await fetch(`${h2.url}/v1/merchant/statements/${idB}/download?format=csv`, {
            headers: { authorization: `Bearer ${b.merchant.token}` },
          });
          expect(csv.status).toBe(200);
          expect(await csv.text()).toContain('合计：12 单');
        } finally {
          await h2.close();
        }
      } finally {
        await drop();
      }
    });

    if (dialect === 'postgres') {
      it('two hubs on one PostgreSQL share the statement jobs and build each exactly once', async () => {
        const { url, drop } = await freshDatabase(dialect);
        const adminToken = `admin-${randomBytes(8).toString('hex')}`;
        try {
          const setup = await hubOn(dialect, url, adminToken, false);
          const pairs: Array<Awaited<ReturnType<typeof pairWithReturns>>> = [];
          for (let i = 0; i < 6; i++) pairs.push(await pairWithReturns(setup, 8 + i));
          const ids: number[] = [];
          for (const p of pairs) {
            const r = await ok(setup, 'POST', '/v1/merchant/statements', {
              token: p.merchant.token,
              body: { factoryShopId: p.factory.shopId, ...RANGE },
            });
            ids.push(r.statement.id);
          }
          await setup.close();
          const [x, y] = await Promise.all([
            hubOn(dialect, url, adminToken, true),
            hubOn(dialect, url, adminToken, true),
          ]);
          try {
            const st = await waitAllReady(
              x,
              pairs.map((p, i) => ({ merchant: p.merchant, id: ids[i]! })),
            );
            expect(st.map((s) => s.orderCount)).toEqual(pairs.map((p) => p.sns.length));
            const jobs = await x.db
              .selectFrom('statements')
              .select(['id', 'attempts', 'status'])
              .where('id', 'in', ids)
              .execute();
            // Each statement was claimed once: SKIP LOCKED kept the two workers off each other's rows.
            expect(jobs.every((j) => j.attempts === 1 && j.status === 'ready')).toBe(true);
            const counts = await x.db
              .selectFrom('statement_rows')
              .select(['statement_id', (eb) => eb.fn.countAll<number>().as('n')])
              .where('statement_id', 'in', ids)
              .groupBy('statement_id')
              .execute();
            expect(new Map(counts.map((c) => [c.statement_id, Number(c.n)]))).toEqual(
              new Map(ids.map((id, i) => [id, pairs[i]!.sns.length])),
            );
          } finally {
            await Promise.all([x.close(), y.close()]);
          }
        } finally {
          await drop();
        }
      });
    }
  });
}
