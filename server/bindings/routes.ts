/** Binding (M2), from both sides: the merchant asks, the factory accepts or rejects. */
import type { FastifyInstance } from 'fastify';
import { ENDPOINTS as E } from '../../shared/api/endpoints.ts';
import type { HubContext } from '../context.ts';
import { registerEndpoint } from '../http/route.ts';
import { decideBinding, listBindings, requestBinding } from './bindings.ts';

export function bindingRoutes(app: FastifyInstance, ctx: HubContext): void {
  registerEndpoint(app, ctx, E.createBinding, async ({ caller, body }) => ({
    binding: await requestBinding(ctx, caller.shopId, body.factoryShopId),
  }));
  registerEndpoint(app, ctx, E.merchantBindings, async ({ caller }) => ({
    bindings: await listBindings(ctx, 'merchant', caller.shopId),
  }));
  registerEndpoint(app, ctx, E.factoryBindings, async ({ caller }) => ({
    bindings: await listBindings(ctx, 'factory', caller.shopId),
  }));
  registerEndpoint(app, ctx, E.acceptBinding, async ({ caller, params }) => ({
    binding: await decideBinding(ctx, caller.shopId, params.id, 'accepted'),
  }));
  registerEndpoint(app, ctx, E.rejectBinding, async ({ caller, params }) => ({
    binding: await decideBinding(ctx, caller.shopId, params.id, 'rejected'),
  }));
}
