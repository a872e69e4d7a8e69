/** Shops (the platform creates them) and a shop's own profile and role (M1). */
import type { FastifyInstance } from 'fastify';
import { ENDPOINTS as E } from '../../shared/api/endpoints.ts';
import type { HubContext } from '../context.ts';
import { registerEndpoint } from '../http/route.ts';
import { createShop, meView, setRole } from './shops.ts';

export function shopRoutes(app: FastifyInstance, ctx: HubContext): void {
  registerEndpoint(app, ctx, E.createShop, async ({ body }) => createShop(ctx, body.name));
  registerEndpoint(app, ctx, E.me, async ({ caller }) => meView(ctx.db, caller.shopId));
  registerEndpoint(app, ctx, E.setRole, async ({ caller, body }) => setRole(ctx, caller.shopId, body));
}
