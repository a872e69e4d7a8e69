/**
 * Who may call each endpoint of the OpenAPI document (`METHOD /path/{param}`), for the tests that sweep
 * every endpoint (authorization matrix, bad input). The shared endpoint table is the truth; a route
 * registered by hand (the statement download) is classified by its path prefix. An endpoint that fits
 * neither fails the test: someone must say who may call it.
 */
import { ENDPOINTS, type EndpointAuth } from '../../../shared/api/endpoints.ts';

const AUTH_BY_ENDPOINT = new Map<string, EndpointAuth>(
  Object.values(ENDPOINTS).map((d) => [`${d.method} ${d.path.replace(/:(\w+)/g, '{$1}')}`, d.auth]),
);

export function authOf(method: string, path: string): EndpointAuth {
  const fromTable = AUTH_BY_ENDPOINT.get(`${method} ${path}`);
  if (fromTable) return fromTable;
  if (path === '/v1/shops' || path.startsWith('/v1/platform/')) return 'admin';
  if (path.startsWith('/v1/merchant/')) return 'merchant';
  if (path.startsWith('/v1/factory/')) return 'factory';
  if (path.startsWith('/v1/station/')) return 'station';
  if (path === '/v1/me' || path.startsWith('/v1/me/')) return 'shop';
  throw new Error(`${method} ${path}: not in an endpoint table and no known prefix — who may call it?`);
}
