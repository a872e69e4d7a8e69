/**
 * GET /v1/station/events: the push channel (shared/api/station-events.ts). A stream never ends on its
 * own, so it is registered by hand, with the endpoint table's station authentication and `station`
 * rate limit. The answer is written straight to the socket: it starts with `ready`, then carries the
 * factory's `feed` events and a heartbeat comment every `heartbeatMs`, until the station goes, is
 * revoked, or the hub stops (every stream is ended before the hub closes, so shutdown never waits on
 * one). A station that stops reading is dropped once 64 KiB wait unsent.
 */
import type { FastifyInstance } from 'fastify';
import { ErrorBodySchema } from '../../shared/api/common.ts';
import {
  formatStreamEvent,
  STATION_EVENTS_PATH,
  STREAM_HEARTBEAT,
  STREAM_RETRY_MS,
  type StationStreamEvent,
} from '../../shared/api/station-events.ts';
import type { HubContext } from '../context.ts';
import type { StationCaller } from '../callers.ts';
import { authenticateRequest, callerOf, endpointRateLimit } from '../http/route.ts';
import type { ServerResponse } from 'node:http';
import { DEFAULT_EVENTS_HEARTBEAT_MS } from '../config.ts';
import { startFeedEvents } from './feed-events.ts';

const MAX_UNSENT_BYTES = 64 * 1024;

export function stationEventRoutes(app: FastifyInstance, ctx: HubContext): void {
  const feedEvents = startFeedEvents(ctx.db, ctx.log);
  const heartbeatMs = ctx.eventsHeartbeatMs ?? DEFAULT_EVENTS_HEARTBEAT_MS;
  const open = new Set<ServerResponse>();
  const heartbeat = setInterval(() => {
    for (const res of open) write(res, STREAM_HEARTBEAT);
  }, heartbeatMs);
  heartbeat.unref();
  app.addHook('preClose', async () => {
    clearInterval(heartbeat);
    for (const res of open) res.end();
  });
  app.addHook('onClose', async () => feedEvents.close());

  app.route({
    method: 'GET',
    url: STATION_EVENTS_PATH,
    schema: {
      summary: '推送 — Server-Sent Events: `ready`, then `feed` when the factory’s feed changes (pull it), heartbeats',
      tags: ['station'],
      security: [{ bearer: [] }],
      response: { '4xx': ErrorBodySchema, '5xx': ErrorBodySchema },
    },
    onRequest: async (req) => authenticateRequest(ctx, req, 'station'),
    config: endpointRateLimit(ctx, 'station'),
    handler: async (req, reply) => {
      const caller = callerOf(req) as StationCaller;
      const head = await ctx.db
        .selectFrom('factory_versions')
        .select('version')
        .where('factory_shop_id', '=', caller.factoryShopId)
        .executeTakeFirst();
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        // nginx would otherwise hold the events in its buffer.
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
      });
      // An event between reading the head and subscribing is not lost: the station pulls on `ready`.
      const unsubscribe = feedEvents.subscribe(caller.factoryShopId, caller.stationId, (e: StationStreamEvent) => {
        write(res, formatStreamEvent(e));
        if (e.event === 'revoked') res.end();
      });
      open.add(res);
      res.on('close', () => {
        open.delete(res);
        unsubscribe();
      });
      write(
        res,
        `retry: ${STREAM_RETRY_MS}\n` +
          formatStreamEvent({
            event: 'ready',
            data: { version: head?.version ?? 0, heartbeatMs },
          }),
      );
    },
  });
}

function write(res: ServerResponse, text: string): void {
  if (res.writableEnded || res.destroyed) return;
  if (res.writableLength > MAX_UNSENT_BYTES) {
    res.destroy();
    return;
  }
  res.write(text);
}
