/**
 * main's link to the hub, against a real HTTP server that can be made to fail: idempotent calls are
 * retried with backoff, others are not; unreachable means offline, and a probe brings it back online.
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createHubLink } from '../../../main/station/hub-link.ts';
import { ENDPOINTS } from '../../../shared/api/index.ts';
import type { HubStatus } from '../../../shared/ipc/index.ts';

interface Fake {
  url: string;
  hits: string[];
  /** Answer 503 to the next n requests. */
  failNext(n: number): void;
  close(): Promise<void>;
}

async function fakeHub(): Promise<Fake> {
  const hits: string[] = [];
  let fail = 0;
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    if (fail > 0) {
      fail--;
      res.writeHead(503).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url?.startsWith('/v1/station/me'))
      res.end(JSON.stringify({ stationId: 1, name: '站', factoryShopId: 2, factoryName: '厂' }));
    else res.end(JSON.stringify({ results: [] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    hits,
    failNext: (n) => (fail = n),
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

describe('hub link', () => {
  let fake: Fake;
  afterEach(async () => fake?.close());

  it('retries an idempotent call after transient failures, and goes online', async () => {
    fake = await fakeHub();
    const statuses: HubStatus[] = [];
    const link = createHubLink({ backoffMs: 5, probeMs: 10_000, onStatus: (s) => statuses.push(s) });
    link.configure(fake.url, 'dft_token');
    await new Promise((r) => setTimeout(r, 100)); // the first probe
    fake.failNext(2);
    const res = await link.call(ENDPOINTS.check, { body: { orderSns: ['A1'] } }, { idempotent: true });
    expect(res).toEqual({ results: [] });
    expect(fake.hits.filter((h) => h.startsWith('POST /v1/station/check'))).toHaveLength(3);
    expect(link.status.online).toBe(true);
    link.close();
  });

  it('does not retry a call that is not idempotent', async () => {
    fake = await fakeHub();
    const link = createHubLink({ backoffMs: 5, probeMs: 10_000 });
    link.configure(fake.url, 'dft_token');
    await new Promise((r) => setTimeout(r, 100)); // the first probe
    fake.failNext(1);
    await expect(link.call(ENDPOINTS.check, { body: { orderSns: ['A1'] } })).rejects.toMatchObject({
      code: 'hub_unreachable',
    });
    expect(fake.hits.filter((h) => h.startsWith('POST /v1/station/check'))).toHaveLength(1);
    link.close();
  });

  it('goes offline when the hub cannot be reached, and a probe brings it back online', async () => {
    fake = await fakeHub();
    const statuses: boolean[] = [];
    const link = createHubLink({
      backoffMs: 5,
      retries: 1,
      probeMs: 50,
      timeoutMs: 500,
      onStatus: (s) => statuses.push(s.online),
    });
    link.configure(fake.url, 'dft_token');
    await new Promise((r) => setTimeout(r, 100));
    fake.failNext(1000);
    await expect(
      link.call(ENDPOINTS.check, { body: { orderSns: ['A1'] } }, { idempotent: true }),
    ).rejects.toMatchObject({
      code: 'hub_unreachable',
    });
    expect(link.status.online).toBe(false);
    fake.failNext(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(link.status.online).toBe(true);
    expect(statuses).toEqual([true, false, true]);
    link.close();
  });
});
