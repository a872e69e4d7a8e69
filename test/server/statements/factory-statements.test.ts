/**
 * The factory's side of reconciliation (M8): GET /v1/factory/statements lists the statements
 * generated for this factory (and no other's); its download has the same rows as the merchant's,
 * and no consumer data (M10).
 */
import { expect, it } from 'vitest';
import type { FactoryStatement, Statement } from '../../../shared/api/statements.ts';
import { allocatedOrders, issueAndReturn } from '../support/scenarios.ts';
import { call, describeEachDb, ok, type TestHub, type TestShop } from '../support/hub.ts';

async function readyStatement(h: TestHub, merchant: TestShop, factoryShopId: number): Promise<Statement> {
  const from = new Date(h.clock.now().getTime() - 86_400_000).toISOString();
  const to = new Date(h.clock.now().getTime() + 86_400_000).toISOString();
  const { statement } = await ok<{ statement: Statement }>(h, 'POST', '/v1/merchant/statements', {
    token: merchant.token,
    body: { factoryShopId, from, to },
  });
  for (let i = 0; i < 100; i++) {
    const r = await ok<{ statement: Statement }>(h, 'GET', `/v1/merchant/statements/${statement.id}`, {
      token: merchant.token,
    });
    if (r.statement.status === 'ready') return r.statement;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('statement never became ready');
}

describeEachDb('factory statements', ({ hub }) => {
  it('the factory sees the statements generated for it, with the merchant named, and downloads the same rows', async () => {
    const h = hub();
    const { merchant, factory, station, sns } = await allocatedOrders(h, 5);
    await issueAndReturn(h, station, sns);
    await ok(h, 'PUT', '/v1/factory/prices', {
      token: factory.token,
      body: ['SKU-0', 'SKU-1', 'SKU-2'].map((skuId) => ({ merchantShopId: merchant.shopId, skuId, priceFen: 990 })),
    });
    const st = await readyStatement(h, merchant, factory.shopId);

    const list = await ok<{ statements: FactoryStatement[] }>(h, 'GET', '/v1/factory/statements', {
      token: factory.token,
    });
    expect(list.statements).toHaveLength(1);
    expect(list.statements[0]).toMatchObject({ ...st, merchantShopId: merchant.shopId });
    expect(list.statements[0]!.merchantDisplayName).toMatch(/^商家/);

    for (const format of ['csv', 'xlsx']) {
      const mine = await fetch(`${h.url}/v1/merchant/statements/${st.id}/download?format=${format}`, {
        headers: { authorization: `Bearer ${merchant.token}` },
      });
      const theirs = await fetch(`${h.url}/v1/factory/statements/${st.id}/download?format=${format}`, {
        headers: { authorization: `Bearer ${factory.token}` },
      });
      expect(theirs.status).toBe(200);
      expect(theirs.headers.get('content-disposition')).toContain(`statement-${st.id}.${format}`);
      if (format === 'csv') {
        const text = await theirs.text();
        expect(text).toBe(await mine.text());
        for (const sn of sns) expect(text).toContain(sn);
        expect(text).not.toContain('欧阳娜娜');
        expect(text).not.toMatch(/幸福路\d+号/);
      } else {
        expect((await theirs.arrayBuffer()).byteLength).toBeGreaterThan(1000);
      }
    }
  });

  it('another factory neither lists nor downloads it; a merchant cannot use the factory path', async () => {
    const h = hub();
    const { merchant, factory, station, sns } = await allocatedOrders(h, 2);
    await issueAndReturn(h, station, sns);
    const st = await readyStatement(h, merchant, factory.shopId);
    const stranger = await allocatedOrders(h, 1);
    const list = await ok<{ statements: FactoryStatement[] }>(h, 'GET', '/v1/factory/statements', {
      token: stranger.factory.token,
    });
    expect(list.statements.map((s) => s.id)).not.toContain(st.id);
    const theirs = await call(h, 'GET', `/v1/factory/statements/${st.id}/download`, { token: stranger.factory.token });
    expect(theirs).toMatchObject({ status: 404, body: { error: { code: 'STATEMENT_NOT_FOUND' } } });
    expect((await call(h, 'GET', `/v1/factory/statements/${st.id}/download`, { token: merchant.token })).status).toBe(
      403,
    );
    expect((await call(h, 'GET', '/v1/factory/statements', { token: merchant.token })).status).toBe(403);
  });
});
