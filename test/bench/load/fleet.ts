/**
 * A fleet of simulated print stations for the load bench: the shops, orders and stations a run needs
 * (set up through the hub's API), and the two ways to drive them.
 *
 * - `paced` (open loop): each station pulls its feed every 5 s and prints a chunk of 20 labels every
 *   20 s — check, waybills, returns — on a fixed timetable, whether or not earlier requests have
 *   answered, as a real fleet does. A request's latency counts from when it was due, so a hub that
 *   falls behind shows it (no coordinated omission). A station's phases are random.
 * - `saturate` (closed loop): a few stations run back to back, with no pause: four feed pulls, a check,
 *   waybills and returns of 20 orders, and the cancel (面单作废) of the 20 they returned two chunks
 *   before, which makes those orders printable again, so a client never runs out of orders.
 *
 * Requests are plain fetch + JSON (what the hub sees is the same as from a station's main process;
 * the generator keeps its own CPU low).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { TestHub } from '../../server/support/hub.ts';
import {
  bindAndAccept,
  createFactory,
  createMerchant,
  makeOrder,
  ok,
  type TestShop,
} from '../../server/support/hub.ts';

export const ENDPOINT_NAMES = ['feed', 'check', 'waybills', 'returns', 'cancels'] as const;
export type EndpointName = (typeof ENDPOINT_NAMES)[number];

export interface SimStation {
  index: number;
  stationId: number;
  token: string;
  factoryShopId: number;
  /** The hub node this station talks to (a load balancer gives each station one). */
  node: string;
  cursor: string | null;
  clientId: string;
  lastMutationId: number;
  /** Allocated orders this station has not printed yet. */
  unprinted: string[];
}

export interface SimFactory {
  factory: TestShop;
  merchant: TestShop;
  stations: SimStation[];
  /** Orders created for the merchant and never allocated (the push bench allocates them). */
  spare: string[];
  /** Orders allocated to the factory and not handed to a station (the push bench makes them abnormal). */
  reserve: string[];
}

export interface FleetOptions {
  stations: number;
  perFactory: number;
  /** Allocated orders per station. */
  ordersPerStation: number;
  /** Unallocated orders per factory. */
  sparePerFactory?: number;
  /** Allocated orders per factory that no station prints. */
  reservePerFactory?: number;
  /** Where each station connects, round robin. */
  nodes: string[];
  /** Concurrent setup requests. */
  concurrency?: number;
}

/** Runs `fn` over `items` with at most `limit` at a time. */
export async function eachLimited<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

export async function setUpFleet(hub: TestHub, opts: FleetOptions): Promise<SimFactory[]> {
  const factoryCount = Math.ceil(opts.stations / opts.perFactory);
  const factories: SimFactory[] = new Array(factoryCount);
  let stationIndex = 0;
  const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  await eachLimited(
    Array.from({ length: factoryCount }, (_, i) => i),
    opts.concurrency ?? 8,
    async (f) => {
      const merchant = await createMerchant(hub, `压测商家${f}`);
      const factory = await createFactory(hub, `压测工厂${f}`);
      await bindAndAccept(hub, merchant, factory);
      const stationsHere = Math.min(opts.perFactory, opts.stations - f * opts.perFactory);
      const allocated = stationsHere * opts.ordersPerStation + (opts.reservePerFactory ?? 0);
      const total = allocated + (opts.sparePerFactory ?? 0);
      const sns = Array.from({ length: total }, (_, k) => `L${run}-${f}-${k}`);
      for (let i = 0; i < sns.length; i += 1000) {
        await ok(hub, 'POST', '/v1/platform/orders', {
          token: hub.adminToken,
          body: { merchantShopId: merchant.shopId, orders: sns.slice(i, i + 1000).map((sn) => makeOrder({ sn })) },
        });
      }
      for (let i = 0; i < allocated; i += 1000) {
        await ok(hub, 'POST', '/v1/merchant/allocations', {
          token: merchant.token,
          body: { factoryShopId: factory.shopId, orderSns: sns.slice(i, Math.min(allocated, i + 1000)) },
        });
      }
      const stations: SimStation[] = [];
      for (let s = 0; s < stationsHere; s++) {
        const { code } = await ok<{ code: string }>(hub, 'POST', '/v1/factory/stations', { token: factory.token });
        const paired = await ok<{ stationId: number; token: string }>(hub, 'POST', '/v1/stations/pair', {
          body: { code, name: `压测打印站${f}-${s}` },
        });
        const index = stationIndex++;
        stations.push({
          index,
          stationId: paired.stationId,
          token: paired.token,
          factoryShopId: factory.shopId,
          node: opts.nodes[index % opts.nodes.length]!,
          cursor: null,
          clientId: `load-${run}-${paired.stationId}`,
          lastMutationId: 0,
          unprinted: sns.slice(s * opts.ordersPerStation, (s + 1) * opts.ordersPerStation),
        });
      }
      factories[f] = {
        factory,
        merchant,
        stations,
        spare: sns.slice(allocated),
        reserve: sns.slice(stationsHere * opts.ordersPerStation, allocated),
      };
    },
  );
  return factories;
}

// ───────────────────────── measuring requests ─────────────────────────

export interface EndpointStats {
  latencies: number[];
  errors: number;
  /** What the errors were (status or network error), for the report. */
  errorKinds: Map<string, number>;
  /** Orders refused where the workload expected them to print (a business answer, not an error). */
  refused: number;
  completedAt: number[];
}

export class Recorder {
  readonly stats = new Map<EndpointName, EndpointStats>(
    ENDPOINT_NAMES.map((n) => [n, { latencies: [], errors: 0, errorKinds: new Map(), refused: 0, completedAt: [] }]),
  );

  of(name: EndpointName): EndpointStats {
    return this.stats.get(name)!;
  }
}

/**
 * One request, timed from `dueAt` (performance.now() time) to the end of its body. Never throws: a
 * failure is counted and returned as null.
 */
export async function timed<T>(
  rec: Recorder,
  name: EndpointName,
  dueAt: number,
  station: SimStation,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<T | null> {
  const st = rec.of(name);
  try {
    const res = await fetch(`${station.node}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${station.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const end = performance.now();
    if (!res.ok) {
      st.errors++;
      const code = /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? '';
      const kind = `${res.status}${code ? ` ${code}` : ''}`;
      st.errorKinds.set(kind, (st.errorKinds.get(kind) ?? 0) + 1);
      return null;
    }
    st.latencies.push(end - dueAt);
    st.completedAt.push(end);
    return JSON.parse(text) as T;
  } catch (e) {
    st.errors++;
    const kind = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    st.errorKinds.set(kind, (st.errorKinds.get(kind) ?? 0) + 1);
    return null;
  }
}

interface FeedPage {
  cursor: string;
  hasMore: boolean;
  changes: unknown[];
}

/** Pulls every page from the station's cursor (each page is one feed request). */
export async function pullFeed(rec: Recorder, station: SimStation, dueAt: number): Promise<number> {
  let due = dueAt;
  let changes = 0;
  for (;;) {
    const q = station.cursor ? `&cursor=${encodeURIComponent(station.cursor)}` : '';
    const page = await timed<FeedPage>(rec, 'feed', due, station, 'GET', `/v1/station/feed?limit=1000${q}`);
    if (!page) return changes;
    station.cursor = page.cursor;
    changes += page.changes.length;
    if (!page.hasMore) return changes;
    due = performance.now();
  }
}

interface WaybillsAnswer {
  results: Array<{ orderSn: string; status: 'issued' | 'refused'; waybillNo?: string }>;
}
interface CheckAnswer {
  results: Array<{ orderSn: string; printable: boolean }>;
}
interface MutationsAnswer {
  lastMutationId: number;
  results: Array<{ id: number; status: 'applied' | 'rejected' }>;
}

/**
 * One chunk as the station prints it: the guard's check, numbers for the printable orders, and their
 * returns once "printed". Returns the numbers returned (for a later cancel), or null when a step failed.
 */
export async function printChunk(
  rec: Recorder,
  station: SimStation,
  sns: string[],
  dueAt: number,
): Promise<Array<{ orderSn: string; waybillNo: string }> | null> {
  const check = await timed<CheckAnswer>(rec, 'check', dueAt, station, 'POST', '/v1/station/check', {
    orderSns: sns,
  });
  if (!check) return null;
  const printable = check.results.filter((r) => r.printable).map((r) => r.orderSn);
  rec.of('check').refused += sns.length - printable.length;
  if (printable.length === 0) return [];
  const issued = await timed<WaybillsAnswer>(
    rec,
    'waybills',
    performance.now(),
    station,
    'POST',
    '/v1/station/waybills',
    {
      orderSns: printable,
      courier: 'ZTO',
    },
  );
  if (!issued) return null;
  const numbers = issued.results.flatMap((r) =>
    r.status === 'issued' ? [{ orderSn: r.orderSn, waybillNo: r.waybillNo! }] : [],
  );
  rec.of('waybills').refused += issued.results.length - numbers.length;
  if (numbers.length === 0) return [];
  const printedAt = new Date().toISOString();
  const ok = await pushMutations(
    rec,
    'returns',
    station,
    numbers.map((n) => ({ type: 'waybill_returned', orderSn: n.orderSn, waybillNo: n.waybillNo, printedAt })),
  );
  return ok ? numbers : null;
}

/** One push of the station's outbox; ids rise by exactly one per mutation, as the hub demands. */
export async function pushMutations(
  rec: Recorder,
  name: 'returns' | 'cancels',
  station: SimStation,
  mutations: Array<Record<string, unknown>>,
): Promise<boolean> {
  const first = station.lastMutationId + 1;
  const answer = await timed<MutationsAnswer>(rec, name, performance.now(), station, 'POST', '/v1/station/mutations', {
    clientId: station.clientId,
    mutations: mutations.map((m, i) => ({ id: first + i, ...m })),
  });
  if (!answer) return false;
  station.lastMutationId = answer.lastMutationId;
  rec.of(name).refused += answer.results.filter((r) => r.status !== 'applied').length;
  return true;
}

// ───────────────────────── the two workloads ─────────────────────────

export interface PacedOptions {
  durationMs: number;
  feedEveryMs: number;
  chunkEveryMs: number;
  chunkSize: number;
}

/** Waits until performance.now() reaches `at`. */
function until(at: number): Promise<void> {
  const wait = at - performance.now();
  return wait > 0 ? new Promise((r) => setTimeout(r, wait)) : Promise.resolve();
}

/** The open-loop fleet: every station on its own timetable. Resolves when every request due has answered. */
export async function runPaced(stations: SimStation[], opts: PacedOptions): Promise<Recorder> {
  const rec = new Recorder();
  const t0 = performance.now() + 200;
  const end = t0 + opts.durationMs;
  const inflight: Promise<unknown>[] = [];
  await Promise.all(
    stations.map(async (s) => {
      const feedPhase = Math.random() * opts.feedEveryMs;
      const chunkPhase = Math.random() * opts.chunkEveryMs;
      const feeds = (async () => {
        for (let due = t0 + feedPhase; due < end; due += opts.feedEveryMs) {
          await until(due);
          // Open loop: the next pull is due on time whether or not this one has answered.
          inflight.push(pullFeed(rec, s, due));
        }
      })();
      const chunks = (async () => {
        let previous: Promise<unknown> = Promise.resolve();
        for (let due = t0 + chunkPhase; due < end; due += opts.chunkEveryMs) {
          await until(due);
          const sns = s.unprinted.splice(0, opts.chunkSize);
          if (sns.length === 0) break;
          // A station's pushes stay in id order: a chunk's returns wait for the previous chunk's.
          const run = previous.then(() => printChunk(rec, s, sns, due));
          previous = run;
          inflight.push(run);
        }
      })();
      await Promise.all([feeds, chunks]);
    }),
  );
  await Promise.all(inflight);
  return rec;
}

export interface SaturateOptions {
  durationMs: number;
  chunkSize: number;
}

/**
 * Back-to-back clients: each runs its cycle with no pause until the window ends. Each client needs
 * 2 × chunkSize unprinted orders: it alternates between the two halves, cancelling a half's returned
 * numbers (面单作废, allowed until the merchant ships) before printing it again.
 */
export async function runSaturated(clients: SimStation[], opts: SaturateOptions): Promise<Recorder> {
  const rec = new Recorder();
  const end = performance.now() + opts.durationMs;
  await Promise.all(
    clients.map(async (s) => {
      const halves = [s.unprinted.slice(0, opts.chunkSize), s.unprinted.slice(opts.chunkSize, 2 * opts.chunkSize)];
      const returned: Array<Array<{ orderSn: string; waybillNo: string }> | null> = [null, null];
      for (let cycle = 0; performance.now() < end; cycle++) {
        const h = cycle % 2;
        const previous = returned[h];
        if (previous && previous.length > 0) {
          const ok = await pushMutations(
            rec,
            'cancels',
            s,
            previous.map((n) => ({
              type: 'waybill_cancelled',
              orderSn: n.orderSn,
              waybillNo: n.waybillNo,
              reason: '压测作废',
            })),
          );
          if (!ok) continue;
        }
        for (let i = 0; i < 4 && performance.now() < end; i++) await pullFeed(rec, s, performance.now());
        if (performance.now() >= end) break;
        returned[h] = await printChunk(rec, s, halves[h]!, performance.now());
      }
    }),
  );
  return rec;
}
