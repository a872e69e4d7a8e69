/**
 * Print stations: the factory pairs, lists and revokes them and sees its orders; a paired station
 * knows itself, pulls the feed (D1) and asks the guard's check (D4).
 */
import type { FastifyInstance } from 'fastify';
import { ENDPOINTS as E } from '../../shared/api/endpoints.ts';
import type { HubContext } from '../context.ts';
import { registerEndpoint } from '../http/route.ts';
import { createPairingCode, listStations, pairStation, revokeStation, stationIdentity } from './stations.ts';
import { factoryOrders, feedPage } from './feed.ts';
import { checkOrders } from './check.ts';
import { stationEventRoutes } from './events-routes.ts';

export function stationRoutes(app: FastifyInstance, ctx: HubContext): void {
  registerEndpoint(app, ctx, E.factoryOrders, async ({ caller, query }) =>
    factoryOrders(ctx, caller.shopId, query.cursor ? Number(query.cursor) : 0, query.limit),
  );
  registerEndpoint(app, ctx, E.createPairingCode, async ({ caller }) => createPairingCode(ctx, caller.shopId));
  registerEndpoint(app, ctx, E.listStations, async ({ caller }) => ({
    stations: await listStations(ctx, caller.shopId),
  }));
  registerEndpoint(app, ctx, E.revokeStation, async ({ caller, params }) => ({
    station: await revokeStation(ctx, caller.shopId, params.id),
  }));
  registerEndpoint(app, ctx, E.pairStation, async ({ body }) => pairStation(ctx, body.code, body.name));
  registerEndpoint(app, ctx, E.stationMe, async ({ caller }) => stationIdentity(ctx, caller));
  registerEndpoint(app, ctx, E.feed, async ({ caller, query }) =>
    feedPage(ctx, caller.factoryShopId, query.cursor, query.limit),
  );
  registerEndpoint(app, ctx, E.check, async ({ caller, body }) => ({
    results: await checkOrders(ctx, caller, body.orderSns),
  }));
  stationEventRoutes(app, ctx);
}
