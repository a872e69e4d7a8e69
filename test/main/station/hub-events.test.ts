/**
 * main's client of the hub's event stream, against real hubs: it goes live on `ready`, tells of every
 * change to the factory's feed, notices when the hub goes away, and comes back by itself to a hub
 * restarted on the same address; a stream that falls silent (a proxy dropped it) is cut and reopened;
 * a refused stream is retried with backoff, never in a tight loop.
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createHubEvents, type HubEvents } from '../../../main/station/hub-events.ts';
import { buildApp } from '../../../server/app.ts';
import { createSettableClock } from '../../../server/clock.ts';
import { NO_RATE_LIMITS } from '../../../server/config.ts';
import { openDb } from '../../../server/db/open.ts';
import { allocate, boundPair, createOrders, freshDatabase, type TestHub } from '../../server/support/hub.ts';

interface Seen {
  at: number;
  live: boolean;
}

/** A hub on `port` (0: any) over the database at `url`. */
async function hubOn(url: string, port: number, adminToken: string) {
  const db = await openDb(url);
  const app = await buildApp({
    db,
    clock: createSettableClock(),
    adminToken,
    rateLimits: NO_RATE_LIMITS,
    eventsHeartbeatMs: 200,
  });
  await app.listen({ port, host: '127.0.0.1' });
  const bound = (app.server.address() as { port: number }).port;
  return {
    port: bound,
    hub: { url: `http://127.0.0.1:${bound}`, adminToken, dialect: 'sqlite' } as TestHub,
    async close() {
      await app.close();
      await db.destroy();
    },
  };
}

async function waitFor(seen: Seen[], ok: (s: Seen) => boolean, from: number, timeoutMs: number): Promise<Seen> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const s = seen.slice(from).find(ok);
    if (s) return s;
    if (performance.now() > deadline)
      throw new Error(`not within ${timeoutMs} ms: ${JSON.stringify(seen.slice(from))}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('hub event stream client', () => {
  let events: HubEvents | undefined;
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    events?.close();
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('goes live, tells of each change, and comes back by itself after the hub restarts', async () => {
    const { url, drop } = await freshDatabase('sqlite');
    cleanups.push(drop);
    const adminToken = 'admin-hub-events-test';
    let node = await hubOn(url, 0, adminToken);
    cleanups.push(() => node.close());
    const { merchant, factory, station } = await boundPair(node.hub);
    const sns = await createOrders(node.hub, merchant, 2);

    const seen: Seen[] = [];
    let reachable = 0;
    events = createHubEvents({
      minBackoffMs: 100,
      maxBackoffMs: 400,
      onFeedChanged: (e) => seen.push({ at: performance.now(), live: e.live }),
      onReachable: () => reachable++,
    });
    events.configure(node.hub.url, station.token);
    await waitFor(seen, (s) => s.live, 0, 5000);
    expect(events.live).toBe(true);
    expect(reachable).toBe(1);

    let mark = seen.length;
    let t0 = performance.now();
    await allocate(node.hub, merchant, factory.shopId, [sns[0]!]);
    const pushed = await waitFor(seen, (s) => s.live, mark, 1000);
    expect(pushed.at - t0).toBeLessThan(1000);

    // The hub stops: the stream closes (back to polling), and reconnecting fails for a while.
    mark = seen.length;
    const port = node.port;
    await node.close();
    await waitFor(seen, (s) => !s.live, mark, 3000);
    expect(events.live).toBe(false);
    await new Promise((r) => setTimeout(r, 800));

    // The same hub starts again on the same address: the client is live again by itself.
    node = await hubOn(url, port, adminToken);
    mark = seen.length;
    await waitFor(seen, (s) => s.live, mark, 3000);
    expect(reachable).toBe(2);
    mark = seen.length;
    t0 = performance.now();
    await allocate(node.hub, merchant, factory.shopId, [sns[1]!]);
    expect((await waitFor(seen, (s) => s.live, mark, 1000)).at - t0).toBeLessThan(1000);
  });

  it('cuts and reopens a stream that falls silent, and retries a refused one with backoff', async () => {
    let connections = 0;
    let refuse = false;
    // A stand-in for a proxy: the first stream says ready and then nothing at all, ever.
    const server = http.createServer((req, res) => {
      connections++;
      if (refuse) {
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end('{"error":{"code":"UNAUTHORIZED","message":"x"}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: ready\ndata: {"version":1,"heartbeatMs":50}\n\n');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });
    const seen: Seen[] = [];
    events = createHubEvents({
      minBackoffMs: 100,
      maxBackoffMs: 400,
      minSilenceMs: 300,
      onFeedChanged: (e) => seen.push({ at: performance.now(), live: e.live }),
    });
    events.configure(`http://127.0.0.1:${(server.address() as { port: number }).port}`, 'dft_x');
    await waitFor(seen, (s) => s.live, 0, 2000);
    // Silent for 300 ms: cut (live false) and reopened (live again).
    await waitFor(seen, (s) => !s.live, 0, 2000);
    await waitFor(
      seen,
      (s) => s.live,
      seen.findIndex((s) => !s.live),
      2000,
    );
    expect(connections).toBeGreaterThanOrEqual(2);

    refuse = true;
    server.closeAllConnections();
    await new Promise((r) => setTimeout(r, 200));
    const before = connections;
    await new Promise((r) => setTimeout(r, 1500));
    // Backoff doubling from 0.1 s to 0.4 s: a handful of tries in 1.5 s, not hundreds.
    expect(connections - before).toBeGreaterThanOrEqual(2);
    expect(connections - before).toBeLessThanOrEqual(10);
    expect(events.live).toBe(false);
  });
});
