/** The merchant's risk view (M9). */
import type { FastifyInstance } from 'fastify';
import { DEFAULT_LATE_RETURN_HOURS } from '../../shared/api/risk.ts';
import { ENDPOINTS } from '../../shared/api/endpoints.ts';
import type { HubContext } from '../context.ts';
import { registerEndpoint } from '../http/route.ts';
import { merchantRisk } from './risk.ts';

export function riskRoutes(app: FastifyInstance, ctx: HubContext): void {
  registerEndpoint(app, ctx, ENDPOINTS.merchantRisk, async ({ caller, query }) =>
    merchantRisk(ctx, caller.shopId, {
      lateHours: query.lateHours ?? ctx.lateReturnHours ?? DEFAULT_LATE_RETURN_HOURS,
      ...(query.since ? { since: query.since } : {}),
    }),
  );
}
