/** Return addresses (退货地址) and shipping (发货, M6). */
import type { FastifyInstance } from 'fastify';
import { ENDPOINTS as E } from '../../shared/api/endpoints.ts';
import type { HubContext } from '../context.ts';
import { registerEndpoint } from '../http/route.ts';
import {
  createReturnAddress,
  deleteReturnAddress,
  listReturnAddresses,
  shipOrders,
  updateReturnAddress,
} from './shipping.ts';

export function shippingRoutes(app: FastifyInstance, ctx: HubContext): void {
  registerEndpoint(app, ctx, E.listReturnAddresses, async ({ caller }) => ({
    returnAddresses: await listReturnAddresses(ctx, caller.shopId),
  }));
  registerEndpoint(app, ctx, E.createReturnAddress, async ({ caller, body }) => ({
    returnAddress: await createReturnAddress(ctx, caller.shopId, body),
  }));
  registerEndpoint(app, ctx, E.updateReturnAddress, async ({ caller, params, body }) => ({
    returnAddress: await updateReturnAddress(ctx, caller.shopId, params.id, body),
  }));
  registerEndpoint(app, ctx, E.deleteReturnAddress, async ({ caller, params }) => {
    await deleteReturnAddress(ctx, caller.shopId, params.id);
    return { ok: true as const };
  });
  registerEndpoint(app, ctx, E.ship, async ({ caller, body }) => ({
    results: await shipOrders(ctx, caller.shopId, body),
  }));
}
