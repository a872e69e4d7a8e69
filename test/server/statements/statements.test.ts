import { expect, it } from 'vitest';
import {
  allocate,
  bindAndAccept,
  call,
  createFactory,
  createMerchant,
  createOrders,
  describeEachDb,
  makeOrder,
  ok,
  pairStation,
  type TestHub,
  type TestShop,
  cancelAllocation,
  merchantWithTwoFactories,
  platformEvent,
} from '../support/hub.ts';
import { issueAndReturn, issueNumbers } from '../support/scenarios.ts';
import ExcelJS from 'exceljs';

// This file's hubs look for statement work every 100 ms (the worker reads it when the hub starts).
process.env.HUB_STATEMENT_POLL_MS = '100';

const T0 = Date.parse('2026-11-27T01:00:00.000Z'); // 09:00 China time
const HOUR = 3_600_000;

/** The hub clock runs on from where a test sets it, so times it records are a few ms later. */
function near(iso: string, expectedMs: number, toleranceMs = 3000): void {
  const t = Date.parse(iso);
  expect(t).toBeGreaterThanOrEqual(expectedMs);
  expect(t - expectedMs).toBeLessThan(toleranceMs);
}

function orderWith(skuId: string, quantity: number) {
  return makeOrder({ items: [{ goodsId: 'G1', skuId, goodsName: '加绒卫衣', spec: '灰色 L', quantity }] });
}

async function waitReady(h: TestHub, merchant: TestShop, id: number) {
  for (let i = 0; i < 200; i++) {
    const { statement } = await ok(h, 'GET', `/v1/merchant/statements/${id}`, { token: merchant.token });
    if (statement.status !== 'pending') return statement;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('statement still pending');
}

async function download(h: TestHub, merchant: TestShop, id: number, format: 'csv' | 'xlsx') {
  const res = await fetch(`${h.url}/v1/merchant/statements/${id}/download?format=${format}`, {
    headers: { authorization: `Bearer ${merchant.token}` },
  });
  return { status: res.status, headers: res.headers, buf: Buffer.from(await res.arrayBuffer()) };
}

describeEachDb('settlement prices and statements (M8)', ({ hub }) => {
  it('prices: set per (merchant, sku) in fen, keep history, only for bound merchants', async () => {
    const h = hub();
    const merchant = await createMerchant(h);
    const factory = await createFactory(h);
    await bindAndAccept(h, merchant, factory);
    const stranger = await createMerchant(h);
    h.clock.set(new Date(T0));
    await ok(h, 'PUT', '/v1/factory/prices', {
      token: factory.token,
      body: [{ merchantShopId: merchant.shopId, skuId: 'A', priceFen: 1000 }],
    });
    h.clock.set(new Date(T0 + HOUR));
    const put = await ok(h, 'PUT', '/v1/factory/prices', {
      token: factory.token,
      body: [
        { merchantShopId: merchant.shopId, skuId: 'A', priceFen: 1200 },
        { merchantShopId: merchant.shopId, skuId: 'B', priceFen: 50 },
      ],
    });
    expect(put.prices.map((p: { skuId: string; priceFen: number }) => [p.skuId, p.priceFen])).toEqual([
      ['A', 1200],
      ['B', 50],
    ]);
    for (const p of put.prices) near(p.validFrom, T0 + HOUR);
    const cur = await ok(h, 'GET', '/v1/factory/prices', { token: factory.token });
    expect(cur.prices.map((p: { skuId: string; priceFen: number }) => [p.skuId, p.priceFen])).toEqual([
      ['A', 1200],
      ['B', 50],
    ]);
    const hist = await ok(h, 'GET', '/v1/factory/prices', {
      token: factory.token,
      query: { history: '1', merchantShopId: merchant.shopId },
    });
    expect(hist.prices.map((p: { skuId: string; priceFen: number }) => [p.skuId, p.priceFen])).toEqual([
      ['A', 1000],
      ['A', 1200],
      ['B', 50],
    ]);
    const unbound = await call(h, 'PUT', '/v1/factory/prices', {
      token: factory.token,
      body: [{ merchantShopId: stranger.shopId, skuId: 'A', priceFen: 1 }],
    });
    expect(unbound.status).toBe(422);
    expect(unbound.body.error.code).toBe('NOT_BOUND');
    expect(
      (
        await call(h, 'PUT', '/v1/factory/prices', {
          token: factory.token,
          body: [{ merchantShopId: merchant.shopId, skuId: 'A', priceFen: -1 }],
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call(h, 'PUT', '/v1/factory/prices', {
          token: factory.token,
          body: [{ merchantShopId: merchant.shopId, skuId: 'A', priceFen: 1.5 }],
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call(h, 'PUT', '/v1/factory/prices', {
          token: merchant.token,
          body: [{ merchantShopId: merchant.shopId, skuId: 'A', priceFen: 1 }],
        })
      ).status,
    ).toBe(403);
    // Another factory sees none of these.
    const f2 = await createFactory(h);
    expect((await ok(h, 'GET', '/v1/factory/prices', { token: f2.token })).prices).toEqual([]);
  });

  it('a statement spanning a price change uses the price in force at each return; later changes never rewrite it', async () => {
    const h = hub();
    const merchant = await createMerchant(h);
    const factory = await createFactory(h);
    await bindAndAccept(h, merchant, factory);
    const station = await pairStation(h, factory);
    const [a, b, c, outside] = await createOrders(h, merchant, [
      orderWith('SKU-P', 2),
      orderWith('SKU-P', 3),
      orderWith('SKU-NOPRICE', 1),
      orderWith('SKU-P', 1),
    ]);
    await allocate(h, merchant, factory.shopId, [a!, b!, c!, outside!]);
    const price = (priceFen: number) =>
      ok(h, 'PUT', '/v1/factory/prices', {
        token: factory.token,
        body: [{ merchantShopId: merchant.shopId, skuId: 'SKU-P', priceFen }],
      });

    h.clock.set(new Date(T0));
    await price(1000);
    h.clock.set(new Date(T0 + HOUR));
    await issueAndReturn(h, station, [a!]); // returned under 10.00
    h.clock.set(new Date(T0 + 2 * HOUR));
    await price(1500);
    h.clock.set(new Date(T0 + 3 * HOUR));
    await issueAndReturn(h, station, [b!, c!]); // 15.00, and no price at all
    h.clock.set(new Date(T0 + 30 * HOUR));
    await issueAndReturn(h, station, [outside!]); // after `to`

    h.clock.set(new Date(T0 + 31 * HOUR));
    const created = await call(h, 'POST', '/v1/merchant/statements', {
      token: merchant.token,
      body: {
        factoryShopId: factory.shopId,
        from: new Date(T0).toISOString(),
        to: new Date(T0 + 24 * HOUR).toISOString(),
      },
    });
    expect(created.status).toBe(202);
    expect(created.body.statement.status).toBe('pending');
    const st = await waitReady(h, merchant, created.body.statement.id);
    expect(st).toMatchObject({
      status: 'ready',
      orderCount: 3,
      rowCount: 3,
      totalQuantity: 6,
      totalFen: 2 * 1000 + 3 * 1500,
      missingPriceRows: 1,
    });

    const csv = await download(h, merchant, st.id, 'csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain(`statement-${st.id}.csv`);
    expect([...csv.buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.buf.toString('utf8');
    const line = (sn: string) => text.split('\r\n').find((l) => l.startsWith(sn + ','))!;
    expect(line(a!).split(',').slice(3, 7)).toEqual(['SKU-P', '2', '10.00', '20.00']);
    expect(line(b!).split(',').slice(3, 7)).toEqual(['SKU-P', '3', '15.00', '45.00']);
    expect(line(c!)).toMatch(/,SKU-NOPRICE,1,,,ZTO,.*,缺少结算价格$/);
    expect(text).not.toContain(outside!);
    expect(text).toContain('合计：3 单，3 行，6 件，金额 65.00 元；1 行缺少结算价格');
    // No consumer data, masked or not (M10).
    for (const leak of ['欧阳', '1380013', '幸福路', '阳光小区', '****']) expect(text).not.toContain(leak);

    // A later price change does not touch the frozen statement.
    h.clock.set(new Date(T0 + 32 * HOUR));
    await price(9999);
    const again = await download(h, merchant, st.id, 'csv');
    expect(again.buf.toString('utf8')).toBe(text);

    const xlsx = await download(h, merchant, st.id, 'xlsx');
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.buf as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('对账单')!;
    const values: unknown[][] = [];
    ws.eachRow((r) => values.push((r.values as unknown[]).slice(1)));
    const rowA = values.find((v) => v[0] === a)!;
    expect(rowA.slice(3, 7)).toEqual(['SKU-P', 2, 10, 20]);
    expect(values.find((v) => v[0] === c)![11]).toBe('缺少结算价格');

    // Other merchants cannot see or download it; a bad format is a 400.
    const other = await createMerchant(h);
    expect((await call(h, 'GET', `/v1/merchant/statements/${st.id}`, { token: other.token })).status).toBe(404);
    expect((await download(h, other, st.id, 'csv')).status).toBe(404);
    expect(
      (
        await call(h, 'GET', `/v1/merchant/statements/${st.id}/download`, {
          token: merchant.token,
          query: { format: 'pdf' },
        })
      ).status,
    ).toBe(400);
    expect((await call(h, 'GET', `/v1/merchant/statements/${st.id}/download`, { token: factory.token })).status).toBe(
      403,
    );
    const list = await ok(h, 'GET', '/v1/merchant/statements', { token: merchant.token });
    expect(list.statements.map((s: { id: number; status: string }) => [s.id, s.status])).toEqual([[st.id, 'ready']]);
    expect((await ok(h, 'GET', '/v1/merchant/statements', { token: other.token })).statements).toEqual([]);
  });

  it('limit: 3 per merchant–factory pair per China day, 10 minutes apart, 429 STATEMENT_LIMIT across China midnight', async () => {
    const h = hub();
    const merchant = await createMerchant(h);
    const factory = await createFactory(h);
    const factory2 = await createFactory(h);
    await bindAndAccept(h, merchant, factory);
    await bindAndAccept(h, merchant, factory2);
    const body = (f: TestShop) => ({
      factoryShopId: f.shopId,
      from: '2026-11-01T00:00:00+08:00',
      to: '2026-12-01T00:00:00+08:00',
    });
    const create = (f: TestShop = factory) =>
      call(h, 'POST', '/v1/merchant/statements', { token: merchant.token, body: body(f) });
    const at = async (iso: string) => {
      h.clock.set(new Date(iso));
    };

    await at('2026-11-27T13:00:00.000Z'); // 21:00 China
    expect((await create()).status).toBe(202);
    await at('2026-11-27T13:09:59.000Z');
    const soon = await create();
    expect(soon.status).toBe(429);
    expect(soon.body.error).toMatchObject({ code: 'STATEMENT_LIMIT', reason: 'too_soon' });
    near(soon.body.error.nextAllowedAt, Date.parse('2026-11-27T13:10:00.000Z'));
    expect(soon.body.error.message).toContain('10 分钟');
    expect(soon.body.error.message).toContain('2026-11-27 21:10');
    // Another factory is another pair.
    expect((await create(factory2)).status).toBe(202);
    await at('2026-11-27T13:10:01.000Z');
    expect((await create()).status).toBe(202);
    await at('2026-11-27T15:55:00.000Z'); // 23:55 China
    expect((await create()).status).toBe(202);
    await at('2026-11-27T15:59:00.000Z');
    const fourth = await create();
    expect(fourth.status).toBe(429);
    // Both limits: the next China day starts at 16:00Z, but 23:55 + 10 minutes is later.
    expect(fourth.body.error).toMatchObject({ reason: 'daily_limit' });
    near(fourth.body.error.nextAllowedAt, Date.parse('2026-11-27T16:05:00.000Z'));
    expect(fourth.body.error.message).toContain('每天最多生成 3 次对账单');
    expect(fourth.body.error.message).toContain('2026-11-28 00:05');
    await at('2026-11-27T16:01:00.000Z'); // 00:01 China, new day, but within 10 minutes
    expect((await create()).body.error.reason).toBe('too_soon');
    await at('2026-11-27T16:05:01.000Z');
    expect((await create()).status).toBe(202);
    // Unbound factory: refused before the limit is looked at.
    const f3 = await createFactory(h);
    expect((await create(f3)).body.error.code).toBe('NOT_BOUND');
    expect(
      (
        await call(h, 'POST', '/v1/merchant/statements', {
          token: merchant.token,
          body: { ...body(factory), from: '2026-12-01T00:00:00Z', to: '2026-11-01T00:00:00Z' },
        })
      ).status,
    ).toBe(400);
  });

  it('a statement whose build keeps failing ends as failed (after 5 attempts), and cannot be downloaded', async () => {
    const h = hub();
    const merchant = await createMerchant(h);
    const factory = await createFactory(h);
    await bindAndAccept(h, merchant, factory);
    const station = await pairStation(h, factory);
    const [sn] = await createOrders(h, merchant, 1);
    await allocate(h, merchant, factory.shopId, [sn!]);
    h.clock.set(new Date(T0 + 40 * HOUR));
    await issueAndReturn(h, station, [sn!]);
    // Break the order's stored items so that every build attempt throws.
    await h.db.updateTable('orders').set({ items_json: '{not json' }).where('sn', '=', sn!).execute();
    const { statement } = await ok(h, 'POST', '/v1/merchant/statements', {
      token: merchant.token,
      body: {
        factoryShopId: factory.shopId,
        from: new Date(T0 + 39 * HOUR).toISOString(),
        to: new Date(T0 + 41 * HOUR).toISOString(),
      },
    });
    const st = await waitReady(h, merchant, statement.id);
    expect(st.status).toBe('failed');
    expect(st.error).toBeTruthy();
    const row = await h.db
      .selectFrom('statements')
      .select('attempts')
      .where('id', '=', statement.id)
      .executeTakeFirstOrThrow();
    expect(row.attempts).toBe(5);
    const dl = await call(h, 'GET', `/v1/merchant/statements/${statement.id}/download`, { token: merchant.token });
    expect(dl.status).toBe(409);
    expect(dl.body.error).toMatchObject({ code: 'STATEMENT_NOT_READY', message: '对账单生成失败' });
    const list = await ok(h, 'GET', '/v1/merchant/statements', { token: merchant.token });
    expect(list.statements.map((x: { status: string }) => x.status)).toEqual(['failed']);
  });

  it('a failed build does not use one of the day’s three statements, nor hold the next one back 10 minutes', async () => {
    const h = hub();
    const merchant = await createMerchant(h);
    const factory = await createFactory(h);
    await bindAndAccept(h, merchant, factory);
    const station = await pairStation(h, factory);
    const [sn] = await createOrders(h, merchant, 1);
    await allocate(h, merchant, factory.shopId, [sn!]);
    h.clock.set(new Date(T0 + 60 * HOUR));
    await issueAndReturn(h, station, [sn!]);
    const good = await h.db.selectFrom('orders').select('items_json').where('sn', '=', sn!).executeTakeFirstOrThrow();
    await h.db.updateTable('orders').set({ items_json: '{not json' }).where('sn', '=', sn!).execute();
    const body = {
      factoryShopId: factory.shopId,
      from: new Date(T0 + 59 * HOUR).toISOString(),
      to: new Date(T0 + 61 * HOUR).toISOString(),
    };
    const { statement: broken } = await ok(h, 'POST', '/v1/merchant/statements', { token: merchant.token, body });
    expect((await waitReady(h, merchant, broken.id)).status).toBe('failed');
    await h.db.updateTable('orders').set({ items_json: good.items_json }).where('sn', '=', sn!).execute();
    for (let i = 0; i < 3; i++) {
      if (i > 0) h.clock.set(new Date(T0 + 60 * HOUR + i * 11 * 60_000));
      const r = await call(h, 'POST', '/v1/merchant/statements', { token: merchant.token, body });
      expect(r.status, `statement ${i + 1} after the failed one`).toBe(202);
      expect((await waitReady(h, merchant, r.body.statement.id)).status).toBe('ready');
    }
    h.clock.set(new Date(T0 + 60 * HOUR + 40 * 60_000));
    const fourth = await call(h, 'POST', '/v1/merchant/statements', { token: merchant.token, body });
    expect(fourth.status).toBe(429);
    expect(fourth.body.error).toMatchObject({ code: 'STATEMENT_LIMIT', reason: 'daily_limit' });
  });
});

/**
 * Statement content (M8, M10) at the edges: re-issued numbers, re-allocated orders, a price set at
 * the very instant of the return, and the 10-minute and 3-per-day rules exactly on the boundary.
 */
async function build(h: TestHub, merchant: TestShop, factory: TestShop) {
  const r = await call(h, 'POST', '/v1/merchant/statements', {
    token: merchant.token,
    body: { factoryShopId: factory.shopId, from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' },
  });
  expect(r.status).toBe(202);
  const id = r.body.statement.id as number;
  for (let i = 0; i < 200; i++) {
    const { statement } = await ok(h, 'GET', `/v1/merchant/statements/${id}`, { token: merchant.token });
    if (statement.status !== 'pending') {
      const res = await fetch(`${h.url}/v1/merchant/statements/${id}/download?format=csv`, {
        headers: { authorization: `Bearer ${merchant.token}` },
      });
      return { statement, csv: await res.text() };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('statement still pending');
}

describeEachDb('statement content and limit edges', ({ hub }) => {
  it('re-issued numbers and re-allocated orders: one row under the factory that returned it, with the returned number', async () => {
    const h = hub();
    const { merchant, x, y, stX, stY } = await merchantWithTwoFactories(h);
    const orders = [makeOrder(), makeOrder()];
    const [moved, reissued] = await createOrders(h, merchant, orders);
    await allocate(h, merchant, x.shopId, [moved!, reissued!]);
    const [staleNo] = await issueNumbers(h, stX, [reissued!]);
    await issueNumbers(h, stX, [moved!]);
    await cancelAllocation(h, merchant, [moved!]);
    await allocate(h, merchant, y.shopId, [moved!]);
    const [yNo] = await issueAndReturn(h, stY, [moved!]);
    await platformEvent(h, reissued!, {
      type: 'address_changed',
      recipient: { ...orders[1]!.recipient, detail: '新址 1 号' },
    });
    const [freshNo] = await issueAndReturn(h, stX, [reissued!]);
    expect(freshNo).not.toBe(staleNo);

    const sx = await build(h, merchant, x);
    expect(sx.statement.orderCount).toBe(1);
    expect(sx.csv).toContain(freshNo!);
    expect(sx.csv).not.toContain(staleNo!);
    expect(sx.csv).not.toContain(moved!);
    for (const o of orders) {
      expect(sx.csv).not.toContain(o.recipient.name);
      expect(sx.csv).not.toContain(o.recipient.phone);
    }
    const sy = await build(h, merchant, y);
    expect(sy.statement.orderCount).toBe(1);
    expect(sy.csv).toContain(yNo!);
  });

  it('10 minutes after is allowed, just before is not; the 3rd of a China day is allowed, the 4th is not', async () => {
    const h = hub();
    const merchant = await createMerchant(h);
    const f = await createFactory(h);
    await bindAndAccept(h, merchant, f);
    const create = () =>
      call(h, 'POST', '/v1/merchant/statements', {
        token: merchant.token,
        body: { factoryShopId: f.shopId, from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' },
      });
    h.clock.set(new Date('2026-11-27T16:00:00.000Z')); // 00:00 China
    expect((await create()).status).toBe(202);
    const first = Date.parse(
      (await ok(h, 'GET', '/v1/merchant/statements', { token: merchant.token })).statements[0].createdAt,
    );
    h.clock.set(new Date(first + 10 * 60_000 - 2000));
    expect((await create()).status).toBe(429);
    h.clock.set(new Date(first + 10 * 60_000));
    expect((await create()).status).toBe(202);
    h.clock.set(new Date(first + 20 * 60_000 + 50));
    expect((await create()).status).toBe(202);
    h.clock.set(new Date('2026-11-28T15:59:00.000Z')); // 23:59 China, same day
    const fourth = await create();
    expect(fourth.status).toBe(429);
    expect(fourth.body.error.reason).toBe('daily_limit');
    h.clock.set(new Date('2026-11-28T16:00:00.000Z'));
    expect((await create()).status).toBe(202);
  });
  it('concurrent requests of one pair: only one passes the 10-minute rule', async () => {
    const h = hub();
    const merchant = await createMerchant(h);
    const f = await createFactory(h);
    await bindAndAccept(h, merchant, f);
    const rs = await Promise.all(
      Array.from({ length: 6 }, () =>
        call(h, 'POST', '/v1/merchant/statements', {
          token: merchant.token,
          body: { factoryShopId: f.shopId, from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' },
        }),
      ),
    );
    expect(rs.map((r) => r.status).sort()).toEqual([202, 429, 429, 429, 429, 429]);
  });
});
