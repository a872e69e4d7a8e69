/** Every group of routes the hub serves, in registration order. */
import type { FastifyInstance } from 'fastify';
import type { HubContext } from '../context.ts';
import { platformRoutes } from './platform.ts';
import { shopRoutes } from './shops.ts';
import { merchantRoutes } from './merchant.ts';
import { factoryRoutes } from './factory.ts';
import { stationRoutes } from './station.ts';
import { flowRoutes } from '../flow/routes.ts';
import { sessionRoutes } from '../sessions/routes.ts';
import { riskRoutes } from '../risk/routes.ts';

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
