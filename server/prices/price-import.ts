/**
 * Settlement prices in bulk (结算价格, M8): a CSV import that is all or nothing, and the warning for
 * SKUs the factory is printing without a price (a statement would flag each such row).
 */
import { MAX_PRICE_IMPORT_ROWS, type MissingPrice, type Price } from '../../shared/api/prices.ts';
import { parsePriceCsv } from '../../shared/domain/price-csv.ts';
import type { OrderItem } from '../../shared/domain/types.ts';
import type { HubContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import { getPrices, putPrices } from './prices.ts';
import { loadMerchantInfo } from '../orders/orders.ts';

/** Validates every line first; the prices go in as one transaction, so a bad file changes nothing. */
export async function importPriceCsv(ctx: HubContext, factoryId: number, csv: string): Promise<Price[]> {
  const parsed = parsePriceCsv(csv, MAX_PRICE_IMPORT_ROWS);
  if (!parsed.ok) throw new DomainError('PRICE_CSV_INVALID', parsed.message);
  const bound = await ctx.db
    .selectFrom('bindings')
    .select('merchant_shop_id')
    .where('factory_shop_id', '=', factoryId)
    .where('status', '=', 'accepted')
    .execute();
  const boundSet = new Set(bound.map((b) => b.merchant_shop_id));
  const stranger = parsed.rows.find((r) => !boundSet.has(r.merchantShopId));
  if (stranger) {
    throw new DomainError(
      'PRICE_CSV_INVALID',
      `第 ${stranger.line} 行：商家 ${stranger.merchantShopId} 未与本厂家绑定，不能设置结算价格`,
    );
  }
  return putPrices(
    ctx,
    factoryId,
    parsed.rows.map(({ merchantShopId, skuId, priceFen }) => ({ merchantShopId, skuId, priceFen })),
  );
}

/** SKUs of the orders currently allocated to this factory that have no price in force, per merchant. */
export async function missingPrices(ctx: HubContext, factoryId: number): Promise<MissingPrice[]> {
  const rows = await ctx.db
    .selectFrom('allocations')
    .innerJoin('orders', 'orders.id', 'allocations.order_id')
    .select(['orders.merchant_shop_id', 'orders.items_json'])
    .where('allocations.factory_shop_id', '=', factoryId)
    .where('allocations.status', '=', 'allocated')
    .where('orders.status', '!=', 'cancelled')
    .execute();
  const priced = new Set((await getPrices(ctx, factoryId, {})).map((p) => `${p.merchantShopId}\u0000${p.skuId}`));
  const missing = new Map<string, Omit<MissingPrice, 'merchantDisplayName'>>();
  for (const r of rows) {
    for (const item of JSON.parse(r.items_json) as OrderItem[]) {
      const key = `${r.merchant_shop_id}\u0000${item.skuId}`;
      if (priced.has(key)) continue;
      const m = missing.get(key);
      if (m) m.orderCount++;
      else
        missing.set(key, {
          merchantShopId: r.merchant_shop_id,
          skuId: item.skuId,
          goodsName: item.goodsName,
          spec: item.spec,
          orderCount: 1,
        });
    }
  }
  const merchants = await loadMerchantInfo(
    ctx.db,
    [...missing.values()].map((m) => m.merchantShopId),
  );
  return [...missing.values()]
    .map((m) => ({ ...m, merchantDisplayName: merchants.get(m.merchantShopId)?.displayName ?? '' }))
    .sort((a, b) => a.merchantShopId - b.merchantShopId || a.skuId.localeCompare(b.skuId));
}
