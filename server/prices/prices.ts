/**
 * M8 settlement prices (结算价格): per (factory, merchant, skuId), in fen, with their history.
 * Setting a price adds a row valid from now; nothing is overwritten, so a statement built later
 * still finds the price that was in force when each tracking number was returned.
 */
import type { HubDb } from '../db/open.ts';
import type { Price, PutPricesRequest } from '../../shared/api/prices.ts';
import type { HubContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import { chunks, writeTx } from '../db/tx.ts';

interface PriceRow {
  merchant_shop_id: number;
  sku_id: string;
  price_fen: number;
  valid_from: string;
  id: number;
}

function view(r: PriceRow): Price {
  return { merchantShopId: r.merchant_shop_id, skuId: r.sku_id, priceFen: r.price_fen, validFrom: r.valid_from };
}

async function history(db: HubDb, factoryId: number, merchantId?: number): Promise<PriceRow[]> {
  let q = db
    .selectFrom('settlement_prices')
    .select(['id', 'merchant_shop_id', 'sku_id', 'price_fen', 'valid_from'])
    .where('factory_shop_id', '=', factoryId);
  if (merchantId !== undefined) q = q.where('merchant_shop_id', '=', merchantId);
  return q.orderBy('merchant_shop_id').orderBy('sku_id').orderBy('valid_from').orderBy('id').execute();
}

/** The price in force at `at` for each (merchant, sku): the latest row with valid_from ≤ at. */
function inForce(rows: PriceRow[], at: string): PriceRow[] {
  const cur = new Map<string, PriceRow>();
  for (const r of rows) if (r.valid_from <= at) cur.set(`${r.merchant_shop_id}\u0000${r.sku_id}`, r);
  return [...cur.values()];
}

export async function getPrices(
  ctx: HubContext,
  factoryId: number,
  opts: { merchantShopId?: number; history?: boolean },
): Promise<Price[]> {
  const rows = await history(ctx.db, factoryId, opts.merchantShopId);
  return (opts.history ? rows : inForce(rows, ctx.clock.now().toISOString())).map(view);
}

export async function putPrices(ctx: HubContext, factoryId: number, input: PutPricesRequest): Promise<Price[]> {
  const merchants = [...new Set(input.map((p) => p.merchantShopId))];
  const bound = await ctx.db
    .selectFrom('bindings')
    .select('merchant_shop_id')
    .where('factory_shop_id', '=', factoryId)
    .where('status', '=', 'accepted')
    .where('merchant_shop_id', 'in', merchants)
    .execute();
  const boundSet = new Set(bound.map((b) => b.merchant_shop_id));
  const unbound = merchants.filter((m) => !boundSet.has(m));
  if (unbound.length > 0) {
    throw new DomainError('NOT_BOUND', `商家 ${unbound.join(', ')} 未与本厂家绑定，不能设置结算价格`);
  }
  // The last entry for a (merchant, sku) in one request wins.
  const wanted = new Map(input.map((p) => [`${p.merchantShopId}\u0000${p.skuId}`, p]));
  return writeTx(ctx, async (trx) => {
    const t = trx;
    const now = ctx.clock.now().toISOString();
    const current = new Map(
      inForce(await history(t, factoryId), now).map((r) => [`${r.merchant_shop_id}\u0000${r.sku_id}`, r]),
    );
    const rows = [...wanted.entries()]
      // Setting the price it already has adds no history line.
      .filter(([k, p]) => current.get(k)?.price_fen !== p.priceFen)
      .map(([, p]) => ({
        factory_shop_id: factoryId,
        merchant_shop_id: p.merchantShopId,
        sku_id: p.skuId,
        price_fen: p.priceFen,
        valid_from: now,
      }));
    for (const part of chunks(rows, 500)) await t.insertInto('settlement_prices').values(part).execute();
    return [...wanted.values()].map((p) => ({
      merchantShopId: p.merchantShopId,
      skuId: p.skuId,
      priceFen: p.priceFen,
      validFrom: rows.some((r) => r.merchant_shop_id === p.merchantShopId && r.sku_id === p.skuId)
        ? now
        : current.get(`${p.merchantShopId}\u0000${p.skuId}`)!.valid_from,
    }));
  });
}

/** Every price row of a pair, for a statement: sku → rows sorted by valid_from. */
export async function priceBook(
  db: HubDb,
  factoryId: number,
  merchantId: number,
): Promise<(sku: string, at: string) => number | null> {
  const bySku = new Map<string, PriceRow[]>();
  for (const r of await history(db, factoryId, merchantId)) {
    const list = bySku.get(r.sku_id) ?? [];
    list.push(r);
    bySku.set(r.sku_id, list);
  }
  return (sku, at) => {
    const list = bySku.get(sku);
    if (!list) return null;
    // Binary search for the last row with valid_from ≤ at.
    let lo = 0;
    let hi = list.length - 1;
    let found: PriceRow | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.valid_from <= at) {
        found = list[mid]!;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found ? found.price_fen : null;
  };
}
