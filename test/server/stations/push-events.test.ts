/**
 * The push channel (GET /v1/station/events): a connected station hears of every change to its
 * factory's feed — a new allocation, an order turning abnormal — within a second, and of nothing
 * else; the stream starts with `ready`, carries heartbeats, ends when the station is revoked or the
 * hub stops, and refuses callers that are not a station. On SQLite and PostgreSQL.
 */
import { performance } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import {
  allocate,
  boundPair,
  createOrders,
  describeEachDb,
  ok,
  platformEvent,
  pullAll,
  startTestHub,
} from '../support/hub.ts';
import { openEventStream } from '../support/event-stream.ts';
import type { StationStreamEvent } from '../../../shared/api/station-events.ts';

describeEachDb(
  'station event stream',
  ({ hub, dialect }) => {
    it('starts with ready at the feed head, then tells of each allocation and abnormal order within 1 s', async () => {
      const h = hub();
      const { merchant, factory, station } = await boundPair(h);
      const sns = await createOrders(h, merchant, 3);
      await allocate(h, merchant, factory.shopId, [sns[0]!]);
      const head = (await pullAll(h, station)).pages.at(-1)!.cursor;

      const stream = await openEventStream(h.url, station.token);
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(stream.headers.get('cache-control')).toBe('no-store');
      const ready = await stream.next();
      expect(ready.event).toMatchObject({ event: 'ready', data: { heartbeatMs: 200 } });
      expect(`f${factory.shopId}.v${(ready.event.data as { version: number }).version}`).toBe(head);

      // Events may come late or twice (the one for the allocation made before connecting may still be
      // on its way): a station pulls on each, so only one newer than what it knows matters.
      const newer = (than: number) => (e: StationStreamEvent) =>
        e.event === 'feed' && e.data.version !== null && e.data.version > than;
      let t0 = performance.now();
      await allocate(h, merchant, factory.shopId, [sns[1]!]);
      const allocated = await stream.next(newer((ready.event.data as { version: number }).version), 1000);
      expect(allocated.at - t0).toBeLessThan(1000);
      const after = (allocated.event.data as { version: number }).version;

      t0 = performance.now();
      await platformEvent(h, sns[0]!, { type: 'after_sale_opened' });
      const abnormal = await stream.next(newer(after), 1000);
      expect(abnormal.at - t0).toBeLessThan(1000);
      // The event says only that something changed; the feed says what.
      const pulled = (await pullAll(h, station, head)).pages.flatMap((p) => p.changes);
      expect(pulled.map((c) => [c.orderSn, c.printable])).toEqual([
        [sns[1], true],
        [sns[0], false],
      ]);
      stream.close();
    });

    it('tells a station nothing of another factory, and carries heartbeats while quiet', async () => {
      const h = hub();
      const mine = await boundPair(h);
      const other = await boundPair(h);
      const [sn] = await createOrders(h, other.merchant, 1);
      const stream = await openEventStream(h.url, mine.station.token);
      await stream.next((e) => e.event === 'ready');
      await allocate(h, other.merchant, other.factory.shopId, [sn!]);
      await new Promise((r) => setTimeout(r, 700));
      expect(stream.events.map((e) => e.event.event)).toEqual(['ready']);
      expect(stream.heartbeats).toBeGreaterThanOrEqual(2);
      stream.close();
    });

    it('ends with revoked when the factory revokes the station', async () => {
      const h = hub();
      const { factory, station } = await boundPair(h);
      const stream = await openEventStream(h.url, station.token);
      await stream.next((e) => e.event === 'ready');
      await ok(h, 'DELETE', `/v1/factory/stations/${station.stationId}`, { token: factory.token });
      await stream.next((e) => e.event === 'revoked', 1000);
      await stream.ended;
      const again = await openEventStream(h.url, station.token);
      expect(again.status).toBe(401);
      expect(again.refusal).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    });

    it('refuses callers that are not a paired station', async () => {
      const h = hub();
      const { factory } = await boundPair(h);
      const anonymous = await fetch(`${h.url}/v1/station/events`);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
      const shop = await openEventStream(h.url, factory.token);
      expect(shop.status).toBe(403);
      const forged = await openEventStream(h.url, 'dft_not-a-real-token');
      expect(forged.status).toBe(401);
    });

    it('a hub that stops ends its streams at once instead of waiting for them', async () => {
      const own = await startTestHub({ dialect, eventsHeartbeatMs: 200 });
      let closed = false;
      try {
        const { station } = await boundPair(own);
        const streams = await Promise.all([1, 2, 3].map(() => openEventStream(own.url, station.token)));
        await Promise.all(streams.map((s) => s.next((e) => e.event === 'ready')));
        const t0 = performance.now();
        await own.app.close();
        closed = true;
        await Promise.all(streams.map((s) => s.ended));
        expect(performance.now() - t0).toBeLessThan(2000);
      } finally {
        if (!closed) await own.app.close();
        await own.db.destroy();
      }
    });
  },
  { eventsHeartbeatMs: 200 },
);
