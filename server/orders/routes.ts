/** Orders: the platform creates them and applies its events; the merchant lists and allocates them (M3). */
import type { FastifyInstance } from 'fastify';
import { ENDPOINTS as E } from '../../shared/api/endpoints.ts';
import type { HubContext } from '../context.ts';
import { registerEndpoint } from '../http/route.ts';
import { createPlatformOrders, listMerchantOrders, merchantOrderDetail } from './platform-orders.ts';
import { applyPlatformEvent } from './events.ts';
import { allocateOrders, cancelAllocations } from './allocation.ts';

export function orderRoutes(app: FastifyInstance, ctx: HubContext): void {
  registerEndpoint(app, ctx, E.createPlatformOrders, async ({ body }) => createPlatformOrders(ctx, body));
  registerEndpoint(app, ctx, E.platformOrderEvent, async ({ params, body }) =>
    applyPlatformEvent(ctx, params.sn, body),
  );
  registerEndpoint(app, ctx, E.merchantOrders, async ({ caller, query }) =>
    listMerchantOrders(ctx, caller.shopId, query),
  );
  registerEndpoint(app, ctx, E.merchantOrder, async ({ caller, params }) =>
    merchantOrderDetail(ctx, caller.shopId, params.sn),
  );
  registerEndpoint(app, ctx, E.allocate, async ({ caller, body }) => ({
    results: await allocateOrders(ctx, caller.shopId, body.factoryShopId, body.orderSns),
  }));
  registerEndpoint(app, ctx, E.cancelAllocation, async ({ caller, body }) => ({
    results: await cancelAllocations(ctx, caller.shopId, body.orderSns),
  }));
}
