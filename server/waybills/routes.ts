/** Waybill numbers issued to a station (取号, M5, D10) and its exactly-once push of returns (回传运单号). */
import type { FastifyInstance } from 'fastify';
import { ENDPOINTS as E } from '../../shared/api/endpoints.ts';
import type { HubContext } from '../context.ts';
import { registerEndpoint } from '../http/route.ts';
import { blockSerialSource, SimulatedWaybillService } from './courier.ts';
import { dbSerialSource, issueWaybills } from './waybills.ts';
import { applyMutations } from './mutations.ts';

/** Serials a hub takes from the database at a time: about two seconds of numbers at full load. */
const SERIAL_BLOCK = 1000;

export function waybillRoutes(app: FastifyInstance, ctx: HubContext): void {
  const courier = new SimulatedWaybillService(blockSerialSource(dbSerialSource(ctx), SERIAL_BLOCK));
  registerEndpoint(app, ctx, E.issueWaybills, async ({ caller, body }) => ({
    results: await issueWaybills(ctx, courier, caller, body),
  }));
  registerEndpoint(app, ctx, E.pushMutations, async ({ caller, body }) => applyMutations(ctx, courier, caller, body));
}
