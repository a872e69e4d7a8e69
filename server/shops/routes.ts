/** A shop's own profile and role (M1), and binding (M2) from both sides. */
import type { FastifyInstance } from 'fastify';
import { CORE_ENDPOINTS as E } from '../../shared/api/endpoints.ts';
import type { HubContext } from '../context.ts';
import { registerEndpoint } from '../http/route.ts';
import { meView, setRole } from './shops.ts';
import { decideBinding, listBindings, requestBinding } from '../bindings/bindings.ts';

export function shopRoutes(app: FastifyInstance, ctx: HubContext): void {
  registerEndpoint(app, ctx, E.me, async ({ caller }) => meView(ctx.db, caller.shopId));
  registerEndpoint(app, ctx, E.setRole, async ({ caller, body }) => setRole(ctx, caller.shopId, body));
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
