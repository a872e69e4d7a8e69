/**
 * What the hub refuses to let one client do to it: hold a connection open by sending slowly, guess
 * pairing codes, or hammer expensive endpoints, also across two hubs on one PostgreSQL. And the
 * security headers on every answer.
 */
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../server/app.ts';
import { createSettableClock } from '../../../server/clock.ts';
import { openDb } from '../../../server/db/open.ts';
import { NO_RATE_LIMITS, type RateLimits } from '../../../server/config.ts';
import {
  allocate,
  boundPair,
  call,
  createOrders,
  describeEachDialect,
  freshDatabase,
  listenHub,
  ok,
  startTestHub,
  type TestHub,
} from '../support/hub.ts';

/** Writes `head`, then `trickle` one byte every `everyMs`; resolves when the hub closes the socket. */
function slowClient(port: number, head: string, trickle = '', everyMs = 200) {
  const started = performance.now();
  let received = '';
  const socket: Socket = connect(port, '127.0.0.1', () => socket.write(head));
  socket.on('data', (d: Buffer) => (received += d.toString()));
  socket.on('error', () => undefined);
  let i = 0;
  const timer = setInterval(() => {
    if (i < trickle.length && !socket.destroyed) socket.write(trickle[i++]!);
  }, everyMs);
  return new Promise<{ afterMs: number; received: string }>((resolve) =>
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ afterMs: performance.now() - started, received });
    }),
  );
}

describe('timeouts', () => {
  let hub: Awaited<ReturnType<typeof buildApp>>;
  let port = 0;
  let drop: () => Promise<void>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await freshDatabase('sqlite');
    drop = fresh.drop;
    const db = await openDb(fresh.url);
    hub = await buildApp({
      db,
      clock: createSettableClock(),
      adminToken: null,
      rateLimits: NO_RATE_LIMITS,
      timeouts: { headersMs: 600, requestMs: 1200, keepAliveMs: 500, idleMs: 5000 },
    });
    await hub.listen({ port: 0, host: '127.0.0.1' });
    port = (hub.server.address() as { port: number }).port;
    close = async () => {
      await hub.close();
      await db.destroy();
    };
  });
  afterAll(async () => {
    await close();
    await drop();
  });

  it('headers sent a byte at a time are cut at the header timeout', async () => {
    const r = await slowClient(port, 'GET /v1/health HTTP/1.1\r\n', 'Host: 127.0.0.1\r\nX-Slow: yes\r\n', 150);
    expect(r.afterMs).toBeGreaterThan(500);
    expect(r.afterMs).toBeLessThan(2500);
    expect(r.received).toMatch(/^HTTP\/1\.1 408/);
  });

  it('a body sent at a byte every 200 ms is cut at the request timeout', async () => {
    const body = JSON.stringify({ code: 'ABCD-EFGH', name: '慢慢发的打印站' });
    const head = `POST /v1/stations/pair HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n`;
    const r = await slowClient(port, head, body, 200);
    expect(r.afterMs).toBeGreaterThan(1000);
    expect(r.afterMs).toBeLessThan(3500);
    expect(r.received).toMatch(/^HTTP\/1\.1 408/);
  });

  it('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const r = await slowClient(port, 'GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(r.received).toMatch(/^HTTP\/1\.1 200/);
    expect(r.received).toMatch(/connection: keep-alive/i);
    expect(r.afterMs).toBeLessThan(2500);
  });
});

describeEachDialect('rate limits', (dialect) => {
  const limits: RateLimits = {
    public: { max: 5, windowMs: 60_000 },
    station: { max: 8, windowMs: 60_000 },
    report: { max: 3, windowMs: 60_000 },
    bulk: { max: 4, windowMs: 60_000 },
  };
  let h: TestHub;
  beforeAll(async () => {
    // Pairing is limited in its own test (its own app, its own client IPs): the others pair stations freely.
    h = await startTestHub({ dialect, rateLimits: { ...limits, public: null } });
  });
  afterAll(async () => h?.close());

  it('pairing-code guesses: 5 a minute per IP are answered, then 429 RATE_LIMITED with Retry-After', async () => {
    const app = await buildApp({ db: h.db, clock: h.clock, adminToken: null, rateLimits: limits });
    const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    const guess = (i: number, remoteAddress = ip) =>
      app.inject({
        method: 'POST',
        url: '/v1/stations/pair',
        remoteAddress,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ code: `GUES-S${String(i).padStart(3, '0')}`, name: 'x' }),
      });
    try {
      const answers = [];
      for (let i = 0; i < 12; i++) answers.push(await guess(i));
      expect(answers.map((r) => r.statusCode)).toEqual([...Array(5).fill(422), ...Array(7).fill(429)]);
      const refused = answers.at(-1)!;
      expect(refused.json().error.code).toBe('RATE_LIMITED');
      expect(refused.json().error.message).toMatch(/请求过于频繁，请 \d+ 秒后再试/);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(50);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Another client IP is counted apart.
      expect((await guess(99, '203.0.113.77')).statusCode).toBe(422);
    } finally {
      await app.close();
    }
  });

  it('per station and per shop token: a station is limited alone; bulk writes and exports per shop', async () => {
    const { merchant, factory, station } = await boundPair(h);
    const second = await boundPair(h);
    for (let i = 0; i < 8; i++)
      expect((await call(h, 'GET', '/v1/station/me', { token: station.token })).status).toBe(200);
    const over = await call(h, 'POST', '/v1/station/check', { token: station.token, body: { orderSns: ['X1'] } });
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('RATE_LIMITED');
    // Another station still works; endpoints without a class are not counted.
    expect((await call(h, 'GET', '/v1/station/me', { token: second.station.token })).status).toBe(200);
    const sns = await createOrders(h, merchant, 1);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        (await call(h, 'POST', '/v1/merchant/allocations/cancel', { token: merchant.token, body: { orderSns: sns } }))
          .status,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    expect((await call(h, 'GET', '/v1/merchant/orders', { token: merchant.token })).status).toBe(200);
    await expect(
      allocate(h, second.merchant, second.factory.shopId, await createOrders(h, second.merchant, 1)),
    ).resolves.toBeTruthy();
    // The statement download counts with statement generation (export, 3 a minute).
    const dl = [];
    for (let i = 0; i < 4; i++)
      dl.push((await call(h, 'GET', '/v1/merchant/statements/999999/download', { token: merchant.token })).status);
    expect(dl).toEqual([404, 404, 404, 429]);
    expect(factory.shopId).toBeGreaterThan(0);
  });

  it('every answer carries the security headers', async () => {
    const r = await call(h, 'GET', '/v1/health');
    // One policy for the console's pages and the API alike: nothing from elsewhere, no framing.
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(r.headers.get('strict-transport-security')).toBeNull(); // plain HTTP: not pinned to HTTPS
    const err = await call(h, 'GET', '/v1/nope');
    expect(err.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describeEachDialect('rate limits across hubs', (dialect) => {
  it(
    dialect === 'postgres'
      ? 'two hubs on one PostgreSQL share one count: 5 guesses in all, wherever they land'
      : 'a single SQLite hub counts in memory',
    async () => {
      const { url, drop } = await freshDatabase(dialect);
      const rateLimits: RateLimits = { ...NO_RATE_LIMITS, public: { max: 5, windowMs: 60_000 } };
      const adminToken = `admin-${randomBytes(8).toString('hex')}`;
      const a = await listenHub({ dialect, databaseUrl: url, adminToken, rateLimits });
      const b = dialect === 'postgres' ? await listenHub({ dialect, databaseUrl: url, adminToken, rateLimits }) : a;
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 12; i++) {
          const hub = i % 2 === 0 ? a : b;
          statuses.push(
            (await call(hub, 'POST', '/v1/stations/pair', { body: { code: `GUESS${i}`, name: 'x' } })).status,
          );
        }
        expect(statuses.filter((s) => s === 422)).toHaveLength(5);
        expect(statuses.slice(5)).toEqual(Array(7).fill(429));
        if (dialect === 'postgres') {
          const rows = await a.db.selectFrom('rate_limit_hits').selectAll().execute();
          expect(rows).toEqual([{ key: 'public|ip:127.0.0.1', hits: 12, reset_at_ms: expect.any(Number) }]);
        }
        expect(await ok(a, 'GET', '/v1/health')).toEqual({ ok: true });
      } finally {
        if (b !== a) await b.app.close().then(() => b.db.destroy());
        await a.app.close();
        await a.db.destroy();
        await drop();
      }
    },
  );
});
