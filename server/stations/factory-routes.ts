/** The factory console: its orders (masked) and its print stations. */
import type { FastifyInstance } from 'fastify';
import { CORE_ENDPOINTS as E } from '../../shared/api/endpoints.ts';
import type { HubContext } from '../context.ts';
import { registerEndpoint } from '../http/route.ts';
import { factoryOrders } from './feed.ts';
import { createPairingCode, listStations, revokeStation } from './stations.ts';

export function factoryRoutes(app: FastifyInstance, ctx: HubContext): void {
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
}
