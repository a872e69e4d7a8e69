/**
 * Registers an endpoint of shared/api/endpoints.ts: its schemas validate the request and the
 * response, its auth kind is enforced before the handler runs, and the handler gets typed input.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ErrorBodySchema } from '../../shared/api/common.ts';
import type { EndpointDef } from '../../shared/api/endpoints.ts';
import type { HubContext } from '../context.ts';
import { authenticate, type Caller, type CallerFor } from './auth.ts';

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
    // about what a valid body would look like.
    onRequest: async (req) => {
      callers.set(req, await authenticate(ctx, req, def.auth));
    },
    handler: async (req, reply) => {
      const caller = callers.get(req);
      if (!caller) throw new Error('caller not authenticated');
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
