/** Settlement prices (结算价格, M8): set, listed with their history, imported from CSV, and the ones missing. */
import type { FastifyInstance } from 'fastify';
import { ENDPOINTS as E } from '../../shared/api/endpoints.ts';
import type { HubContext } from '../context.ts';
import { registerEndpoint } from '../http/route.ts';
import { getPrices, putPrices } from './prices.ts';
import { importPriceCsv, missingPrices } from './price-import.ts';

export function priceRoutes(app: FastifyInstance, ctx: HubContext): void {
  registerEndpoint(app, ctx, E.putPrices, async ({ caller, body }) => ({
    prices: await putPrices(ctx, caller.shopId, body),
  }));
  registerEndpoint(app, ctx, E.getPrices, async ({ caller, query }) => ({
    prices: await getPrices(ctx, caller.shopId, {
      ...(query.merchantShopId !== undefined ? { merchantShopId: query.merchantShopId } : {}),
      history: query.history === '1',
    }),
  }));
  registerEndpoint(app, ctx, E.importPrices, async ({ caller, body }) => ({
    prices: await importPriceCsv(ctx, caller.shopId, body.csv),
  }));
  registerEndpoint(app, ctx, E.missingPrices, async ({ caller }) => ({
    missing: await missingPrices(ctx, caller.shopId),
  }));
}
