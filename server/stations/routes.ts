/** What a paired print station calls: pairing, its identity, the feed (D1) and the guard check (D4). */
import type { FastifyInstance } from 'fastify';
import { CORE_ENDPOINTS as E } from '../../shared/api/endpoints.ts';
import type { HubContext } from '../context.ts';
import { registerEndpoint } from '../http/route.ts';
import { pairStation } from './stations.ts';
import { checkOrders, feedPage } from './feed.ts';

export function stationRoutes(app: FastifyInstance, ctx: HubContext): void {
  registerEndpoint(app, ctx, E.pairStation, async ({ body }) => pairStation(ctx, body.code, body.name));
  registerEndpoint(app, ctx, E.stationMe, async ({ caller }) => {
    const f = await ctx.db
      .selectFrom('factory_profiles')
      .select('name')
      .where('shop_id', '=', caller.factoryShopId)
      .executeTakeFirst();
    return {
      stationId: caller.stationId,
      name: caller.name,
      factoryShopId: caller.factoryShopId,
      factoryName: f?.name ?? '',
    };
  });
  registerEndpoint(app, ctx, E.feed, async ({ caller, query }) =>
    feedPage(ctx, caller.factoryShopId, query.cursor, query.limit),
  );
  registerEndpoint(app, ctx, E.check, async ({ caller, body }) => ({
    results: await checkOrders(ctx, caller, body.orderSns),
  }));
}
