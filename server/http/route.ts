/**
 * Registers an endpoint of shared/api/endpoints.ts: its schemas validate the request and the
 * response, its auth kind is enforced before the handler runs, and the handler gets typed input.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ErrorBodySchema } from '../../shared/api/common.ts';
import type { EndpointAuth, EndpointDef, RateLimitClass } from '../../shared/api/endpoints.ts';
import type { HubContext } from '../context.ts';
import { authenticate } from './auth.ts';
import type { Caller, CallerFor } from '../callers.ts';
import { rateLimitOf } from './rate-limit.ts';

type Out<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface EndpointInput<D extends EndpointDef> {
  body: Out<D['body']>;
  query: Out<D['query']>;
  params: Out<D['params']>;
  caller: CallerFor<D['auth']>;
  /** For the few handlers that set a header or a cookie; the result is still sent by registerEndpoint. */
  reply: FastifyReply;
  request: FastifyRequest;
}

export type EndpointResult<D extends EndpointDef> = z.input<D['response'][keyof D['response']]>;

const callers = new WeakMap<FastifyRequest, Caller>();

/** Authenticates a request for `auth` and remembers who called (onRequest, before the body is parsed). */
export async function authenticateRequest(ctx: HubContext, req: FastifyRequest, auth: EndpointAuth): Promise<void> {
  callers.set(req, await authenticate(ctx, req, auth));
}

export function callerOf(req: FastifyRequest): Caller {
  const caller = callers.get(req);
  if (!caller) throw new Error('caller not authenticated');
  return caller;
}

/** Who a rate limit counts: the station or shop behind the token. */
function callerKey(req: FastifyRequest): string {
  const c = callerOf(req);
  return c.kind === 'station' ? `station:${c.stationId}` : c.kind === 'shop' ? `shop:${c.shopId}` : c.kind;
}

/** The route option of an endpoint's rate limit (none when it has no class or its class is off). */
export function endpointRateLimit(ctx: HubContext, cls: RateLimitClass | undefined) {
  return rateLimitOf(ctx.rateLimits, cls, callerKey);
}

export function registerEndpoint<D extends EndpointDef>(
  app: FastifyInstance,
  ctx: HubContext,
  def: D,
  handler: (input: EndpointInput<D>) => Promise<EndpointResult<D>>,
): void {
  const successStatus = Number(Object.keys(def.response)[0] ?? 200);
  app.route({
    method: def.method,
    url: def.path,
    schema: {
      summary: def.summary,
      tags: [def.path.split('/')[2] ?? 'v1'],
      ...(def.auth === 'none' ? {} : { security: [{ bearer: [] }] }),
      ...(def.body ? { body: def.body } : {}),
      ...(def.query ? { querystring: def.query } : {}),
      ...(def.params ? { params: def.params } : {}),
      response: { ...def.response, '4xx': ErrorBodySchema, '5xx': ErrorBodySchema },
    },
    // Authentication runs before the body is even parsed: an unknown caller learns nothing
    // about what a valid body would look like. The rate limit, if any, runs right after it.
    onRequest: async (req) => authenticateRequest(ctx, req, def.auth),
    config: endpointRateLimit(ctx, def.rateLimit),
    handler: async (req, reply) => {
      const caller = callerOf(req);
      const result = await handler({
        body: req.body as EndpointInput<D>['body'],
        query: req.query as EndpointInput<D>['query'],
        params: req.params as EndpointInput<D>['params'],
        caller: caller as CallerFor<D['auth']>,
        reply,
        request: req,
      });
      return reply.status(successStatus).send(result);
    },
  });
}
