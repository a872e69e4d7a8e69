/** The platform side (admin token): shops, orders, order events, and the test clock. */
import type { FastifyInstance } from 'fastify';
import { CORE_ENDPOINTS as E } from '../../shared/api/endpoints.ts';
import type { HubContext } from '../context.ts';
import { isSettable } from '../clock.ts';
import { HttpError } from '../http/errors.ts';
import { registerEndpoint } from '../http/route.ts';
import { createShop } from '../shops/shops.ts';
import { createPlatformOrders } from './platform-orders.ts';
import { applyPlatformEvent } from './events.ts';

export function platformRoutes(app: FastifyInstance, ctx: HubContext): void {
  registerEndpoint(app, ctx, E.createShop, async ({ body }) => createShop(ctx, body.name));
  registerEndpoint(app, ctx, E.createPlatformOrders, async ({ body }) => createPlatformOrders(ctx, body));
  registerEndpoint(app, ctx, E.platformOrderEvent, async ({ params, body }) =>
    applyPlatformEvent(ctx, params.sn, body),
  );
  registerEndpoint(app, ctx, E.platformClock, async ({ body }) => {
    if (!ctx.testClock || !isSettable(ctx.clock)) {
      throw new HttpError(403, 'TEST_CLOCK_DISABLED', '时钟只能在测试模式下设置 (HUB_TEST_CLOCK=1)');
    }
    ctx.clock.set(new Date(body.now));
    return { now: ctx.clock.now().toISOString() };
  });
}
