/** Every domain's routes, registered in this order. */
import type { FastifyInstance } from 'fastify';
import type { HubContext } from './context.ts';
import { shopRoutes } from './shops/routes.ts';
import { sessionRoutes } from './sessions/routes.ts';
import { bindingRoutes } from './bindings/routes.ts';
import { orderRoutes } from './orders/routes.ts';
import { stationRoutes } from './stations/routes.ts';
import { waybillRoutes } from './waybills/routes.ts';
import { shippingRoutes } from './shipping/routes.ts';
import { priceRoutes } from './prices/routes.ts';
import { statementRoutes } from './statements/routes.ts';
import { riskRoutes } from './risk/routes.ts';
import { platformRoutes } from './platform/routes.ts';

export type RouteRegistrar = (app: FastifyInstance, ctx: HubContext) => void;

export const ROUTE_REGISTRARS: RouteRegistrar[] = [
  shopRoutes,
  sessionRoutes,
  bindingRoutes,
  orderRoutes,
  stationRoutes,
  waybillRoutes,
  shippingRoutes,
  priceRoutes,
  statementRoutes,
  riskRoutes,
  platformRoutes,
];
