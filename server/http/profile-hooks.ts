/**
 * Runs every request on behalf of its own database profile (db/profile.ts), so the pool waits and
 * statements it causes are counted under its endpoint. Two hooks enter the profile: onRequest
 * (authentication and the rate limit run there) and preHandler (after the body is parsed, whose
 * stream events run outside the request's async context).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { performance } from 'node:perf_hooks';
import type { DbProfiler, RequestProfile } from '../db/profile.ts';

export function installProfileHooks(app: FastifyInstance, profiler: DbProfiler): void {
  const running = new WeakMap<FastifyRequest, { profile: RequestProfile; startedAt: number }>();
  app.addHook('onRequest', (req, _reply, done) => {
    const entry = { profile: profiler.newRequest(), startedAt: performance.now() };
    running.set(req, entry);
    profiler.run(entry.profile, done);
  });
  app.addHook('preHandler', (req, _reply, done) => {
    const entry = running.get(req);
    if (entry) profiler.run(entry.profile, done);
    else done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    const entry = running.get(req);
    if (entry) {
      const route = `${req.method} ${req.routeOptions.url ?? '(unrouted)'} ${reply.statusCode < 400 ? 'ok' : reply.statusCode}`;
      profiler.record(route, performance.now() - entry.startedAt, entry.profile);
    }
    done();
  });
}
