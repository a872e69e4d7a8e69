/** Every group of routes the hub serves, in registration order. */
import type { FastifyInstance } from 'fastify';
import type { HubContext } from './context.ts';
import { platformRoutes } from './orders/routes.ts';
import { shopRoutes } from './shops/routes.ts';
import { merchantRoutes } from './orders/merchant-routes.ts';
import { factoryRoutes } from './stations/factory-routes.ts';
import { stationRoutes } from './stations/routes.ts';
import { flowRoutes } from './statements/routes.ts';
import { sessionRoutes } from './sessions/routes.ts';
import { riskRoutes } from './risk/routes.ts';

export type RouteRegistrar = (app: FastifyInstance, ctx: HubContext) => void;

export const ROUTE_REGISTRARS: RouteRegistrar[] = [
  platformRoutes,
  shopRoutes,
  merchantRoutes,
  factoryRoutes,
  stationRoutes,
  flowRoutes,
  sessionRoutes,
  riskRoutes,
];
