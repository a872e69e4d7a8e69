/**
 * Settlement prices in bulk (M8): a CSV import is all or nothing and names the bad line; the
 * export format reads back unchanged; SKUs of allocated orders without a price are listed.
 */
import { expect, it } from 'vitest';
import type { MissingPrice, Price } from '../../../shared/api/prices.ts';
import { formatPriceCsv, parsePriceCsv } from '../../../shared/domain/price-csv.ts';
import { allocatedOrders } from '../support/scenarios.ts';
import { call, createMerchant, describeEachDb, ok, type TestHub, type TestShop } from '../support/hub.ts';

const HEADER = '商家店铺ID,SKU ID,结算价格(元)';

function importCsv(h: TestHub, factory: TestShop, csv: string) {
  return call<{ prices: Price[]; error?: { code: string; message: string } }>(h, 'POST', '/v1/factory/prices/import', {
    token: factory.token,
    body: { csv },
  });
}

async function prices(h: TestHub, factory: TestShop): Promise<Price[]> {
  return (await ok<{ prices: Price[] }>(h, 'GET', '/v1/factory/prices', { token: factory.token })).prices;
}

describeEachDb('settlement price import', ({ hub }) => {
  it('a bad line anywhere refuses the whole file, naming the line; nothing is half-imported', async () => {
    const h = hub();
    const { merchant, factory } = await allocatedOrders(h, 1);
    const m = merchant.shopId;
    const cases: Array<[string, RegExp]> = [
      [`${HEADER}\n${m},SKU-0,12.5\n${m},SKU-1,abc`, /第 3 行：结算价格「abc」无效/],
      [`${HEADER}\n${m},SKU-0,12.5\n\n${m},SKU-1,1.234`, /第 4 行/],
      [`${HEADER}\n${m},SKU-0,1\n${m},SKU-0,2`, /第 3 行：与第 2 行重复/],
      [`${HEADER}\nx${m},SKU-0,1`, /第 2 行：商家店铺ID/],
      [`${HEADER}\n${m},,1`, /第 2 行：SKU ID 不能为空/],
      [`商家,SKU,价格\n${m},SKU-0,1`, /第 1 行：表头缺少列/],
      [`${HEADER}\n${m},"SKU-0,1`, /第 2 行：引号不成对/],
      [HEADER, /没有价格行/],
    ];
    for (const [csv, message] of cases) {
      const r = await importCsv(h, factory, csv);
      expect(r.status, csv).toBe(422);
      expect(r.body.error?.code).toBe('PRICE_CSV_INVALID');
      expect(r.body.error?.message).toMatch(message);
    }
    const stranger = await createMerchant(h);
    const unbound = await importCsv(h, factory, `${HEADER}\n${m},SKU-0,1\n${stranger.shopId},SKU-0,1`);
    expect(unbound.status).toBe(422);
    expect(unbound.body.error?.message).toMatch(new RegExp(`第 3 行：商家 ${stranger.shopId} 未与本厂家绑定`));
    expect(await prices(h, factory)).toEqual([]);
  });

  it('a good file goes in at once; the export reads back unchanged (BOM, quotes, extra columns)', async () => {
    const h = hub();
    const { merchant, factory } = await allocatedOrders(h, 1);
    const m = merchant.shopId;
    const r = await importCsv(h, factory, `\uFEFF${HEADER},商品\r\n${m},SKU-0,12.50,"T恤, 白色"\r\n${m},"SKU-1",8\r\n`);
    expect(r.status).toBe(200);
    expect(r.body.prices.map((p) => [p.skuId, p.priceFen])).toEqual([
      ['SKU-0', 1250],
      ['SKU-1', 800],
    ]);
    const now = await prices(h, factory);
    const csv = formatPriceCsv(now.map((p) => ({ ...p, goodsName: '=HYPERLINK("x")' })));
    expect(csv).toContain("'=HYPERLINK"); // a formula stays text in a spreadsheet
    const parsed = parsePriceCsv(csv);
    expect(
      parsed.ok && parsed.rows.map(({ merchantShopId, skuId, priceFen }) => ({ merchantShopId, skuId, priceFen })),
    ).toEqual(now.map(({ merchantShopId, skuId, priceFen }) => ({ merchantShopId, skuId, priceFen })));
    // Importing it again adds no history: the prices are the same.
    await importCsv(h, factory, csv);
    const history = await ok<{ prices: Price[] }>(h, 'GET', '/v1/factory/prices', {
      token: factory.token,
      query: { history: '1' },
    });
    expect(history.prices).toHaveLength(2);
  });

  it('SKUs of allocated orders without a price in force are listed, per merchant, until priced', async () => {
    const h = hub();
    const { merchant, factory, sns } = await allocatedOrders(h, 6);
    const missing = async () =>
      (await ok<{ missing: MissingPrice[] }>(h, 'GET', '/v1/factory/prices/missing', { token: factory.token })).missing;
    const before = await missing();
    expect(before.map((x) => x.skuId).sort()).toEqual(['SKU-0', 'SKU-1', 'SKU-2']);
    expect(before.reduce((n, x) => n + x.orderCount, 0)).toBe(sns.length);
    expect(before[0]).toMatchObject({ merchantShopId: merchant.shopId, goodsName: '纯棉T恤', spec: '白色 XL' });
    await importCsv(h, factory, `${HEADER}\n${merchant.shopId},SKU-0,1\n${merchant.shopId},SKU-1,1`);
    expect((await missing()).map((x) => x.skuId)).toEqual(['SKU-2']);
  });
});
