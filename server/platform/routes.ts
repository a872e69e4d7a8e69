/** The platform side's own controls: its clock, which moves only in test mode (HUB_TEST_CLOCK=1). */
import type { FastifyInstance } from 'fastify';
import { ENDPOINTS as E } from '../../shared/api/endpoints.ts';
import type { HubContext } from '../context.ts';
import { registerEndpoint } from '../http/route.ts';
import { setTestClock } from './clock.ts';

export function platformRoutes(app: FastifyInstance, ctx: HubContext): void {
  registerEndpoint(app, ctx, E.platformClock, async ({ body }) => ({ now: setTestClock(ctx, new Date(body.now)) }));
}
