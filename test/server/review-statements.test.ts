/**
 * Review probes for statement content (M8, M10): re-issued numbers, re-allocated orders, a price set
 * at the very instant of the return, and the 10-minute / 3-per-day edges exactly on the boundary.
 */
import { expect, it } from 'vitest';
import {
  allocate,
  bindAndAccept,
  call,
  cancelAllocation,
  createFactory,
  createMerchant,
  createOrders,
  describeEachDb,
  merchantWithTwoFactories,
  makeOrder,
  ok,
  platformEvent,
  type TestHub,
  type TestShop,
} from './support/hub.ts';
import { issueAndReturn, issueNumbers } from './flow-support.ts';

process.env.HUB_STATEMENT_POLL_MS = '100';

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

describeEachDb('review: statement content and limit edges', ({ hub }) => {
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
