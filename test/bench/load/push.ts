/**
 * The push bench: every station holds the hub's event stream open, idle, while the hub's memory is
 * read; then changes are made one at a time — a new allocation, or an allocated order turning abnormal
 * (after-sale) — and every connected station of that factory times the event it receives, from the
 * moment the change was requested. With several nodes the stations spread over them and the changes
 * go through the first, so most deliveries cross from one node to another through PostgreSQL.
 */
import { performance } from 'node:perf_hooks';
import { SseParser, STATION_EVENTS_PATH, toStreamEvent } from '../../../shared/api/station-events.ts';
import { ok } from '../../server/support/hub.ts';
import type { HubProcess } from '../../support/station.ts';
import type { SimFactory, SimStation } from './fleet.ts';
import { eachLimited } from './fleet.ts';
import { cpuSeconds, rssBytes } from './procs.ts';

export interface PushReport {
  connected: number;
  rssBeforeMiB: number;
  rssConnectedMiB: number;
  /** The largest node's RSS with its share of the streams. */
  rssConnectedMaxNodeMiB: number;
  idleCpuCores: number;
  rounds: number;
  latencies: number[];
  changeMs: number[];
  missed: number;
}

interface Listener {
  station: SimStation;
  ready: Promise<void>;
  waiter: ((at: number) => void) | null;
  abort: AbortController;
}

function listen(station: SimStation): Listener {
  const abort = new AbortController();
  let markReady!: () => void;
  const l: Listener = { station, ready: new Promise((r) => (markReady = r)), waiter: null, abort };
  void (async () => {
    const res = await fetch(`${station.node}${STATION_EVENTS_PATH}`, {
      headers: { authorization: `Bearer ${station.token}`, accept: 'text/event-stream' },
      signal: abort.signal,
    });
    if (!res.ok || !res.body) throw new Error(`event stream: ${res.status}`);
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    for (;;) {
      const { done, value: chunk } = await reader.read();
      if (done) break;
      const at = performance.now();
      for (const m of parser.push(decoder.decode(chunk, { stream: true }))) {
        const e = toStreamEvent(m);
        if (e?.event === 'ready') markReady();
        if (e?.event === 'feed' && l.waiter) {
          const w = l.waiter;
          l.waiter = null;
          w(at);
        }
      }
    }
  })().catch((e: Error) => {
    if (e.name !== 'AbortError') console.error(`station ${station.stationId}: ${e.message}`);
  });
  return l;
}

const mib = (nodes: HubProcess[]) => nodes.reduce((s, n) => s + (n.pid ? (rssBytes(n.pid) ?? 0) : 0), 0) / 2 ** 20;
const cpu = (nodes: HubProcess[]) => nodes.reduce((s, n) => s + (n.pid ? (cpuSeconds(n.pid) ?? 0) : 0), 0);

export async function runPush(
  nodes: HubProcess[],
  factories: SimFactory[],
  opts: { rounds: number; idleMs?: number },
): Promise<PushReport> {
  const admin = nodes[0]!.asTestHub();
  await new Promise((r) => setTimeout(r, 2000));
  const rssBeforeMiB = mib(nodes);
  const listeners = new Map<number, Listener>();
  await eachLimited(
    factories.flatMap((f) => f.stations),
    50,
    async (s) => {
      const l = listen(s);
      listeners.set(s.stationId, l);
      await l.ready;
    },
  );
  const idleMs = opts.idleMs ?? 10_000;
  const cpu0 = cpu(nodes);
  await new Promise((r) => setTimeout(r, idleMs));
  const idleCpuCores = (cpu(nodes) - cpu0) / (idleMs / 1000);
  const rssConnectedMiB = mib(nodes);
  const rssConnectedMaxNodeMiB = Math.max(...nodes.map((n) => mib([n])));

  const latencies: number[] = [];
  const changeMs: number[] = [];
  let missed = 0;
  for (let r = 0; r < opts.rounds; r++) {
    const f = factories[r % factories.length]!;
    const waits = f.stations.map(
      (s) =>
        new Promise<number | null>((resolve) => {
          const l = listeners.get(s.stationId)!;
          const timer = setTimeout(() => {
            l.waiter = null;
            resolve(null);
          }, 5000);
          l.waiter = (at) => {
            clearTimeout(timer);
            resolve(at);
          };
        }),
    );
    const t0 = performance.now();
    if (r % 2 === 0) {
      const sn = f.spare.shift()!;
      await ok(admin, 'POST', '/v1/merchant/allocations', {
        token: f.merchant.token,
        body: { factoryShopId: f.factory.shopId, orderSns: [sn] },
      });
    } else {
      const sn = f.reserve.shift()!;
      await ok(admin, 'POST', `/v1/platform/orders/${encodeURIComponent(sn)}/events`, {
        token: admin.adminToken,
        body: { type: 'after_sale_opened' },
      });
    }
    changeMs.push(performance.now() - t0);
    for (const at of await Promise.all(waits)) {
      if (at === null) missed++;
      else latencies.push(at - t0);
    }
    await new Promise((res) => setTimeout(res, 50));
  }
  for (const l of listeners.values()) l.abort.abort();
  return {
    connected: listeners.size,
    rssBeforeMiB,
    rssConnectedMiB,
    rssConnectedMaxNodeMiB,
    idleCpuCores,
    rounds: opts.rounds,
    latencies,
    changeMs,
    missed,
  };
}
