/**
 * Where a request's database time goes (HUB_PROFILE_FILE, PostgreSQL): for every request, the time
 * spent waiting for a pool connection and, per kind of statement, how many round trips it made and
 * how long they took as the hub saw them (server time, network and this process's event-loop delay
 * together). The kinds separate what the scaling questions ask about: the factory version row
 * (`version`: its UPDATE waits for the row lock another writer of the factory holds until commit),
 * other row locks (`lock`: FOR UPDATE), commits, the rate-limit counter, and plain reads and writes.
 * A summary per endpoint is written on demand (SIGUSR2 in server/main.ts) and the counts start over.
 *
 * Off by default: it costs a closure and a clock read per statement.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type pg from 'pg';

export const STATEMENT_KINDS = [
  'begin',
  'version',
  'lock',
  'read',
  'write',
  'commit',
  'rollback',
  'rate_limit',
  'other',
] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];

/** One request's account. */
export interface RequestProfile {
  poolWaitMs: number;
  /** From the start of the factory version row's UPDATE to the end of its transaction: how long the row stayed locked. */
  versionHeldMs: number;
  versionSince: number | null;
  count: Record<StatementKind, number>;
  ms: Record<StatementKind, number>;
}

export interface RouteSummary {
  requests: number;
  totalMs: { mean: number; p50: number; p99: number };
  /** Means per request. */
  poolWaitMs: number;
  roundTrips: number;
  dbMs: number;
  /** What is left of the request's time: JSON, validation, our code, and waiting for the event loop. */
  otherMs: number;
  /** How long the factory's version row stayed locked (requests that wrote the feed), mean and p99. */
  versionHeldMs: { mean: number; p99: number } | null;
  byKind: Partial<Record<StatementKind, { roundTrips: number; ms: number }>>;
}

export interface ProfileSummary {
  windowMs: number;
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  pool: { max: number; meanWaiting: number; maxWaiting: number; meanBusy: number };
  /** Statements run outside any request (jobs, compaction, the listener), by kind. */
  background: { roundTrips: number; ms: number };
  routes: Record<string, RouteSummary>;
}

function emptyCounts(): Record<StatementKind, number> {
  return Object.fromEntries(STATEMENT_KINDS.map((k) => [k, 0])) as Record<StatementKind, number>;
}

export function statementKind(text: string): StatementKind {
  const s = text.trimStart().slice(0, 200).toLowerCase();
  if (s.startsWith('begin') || s.startsWith('start transaction')) return 'begin';
  if (s.startsWith('commit')) return 'commit';
  if (s.startsWith('rollback')) return 'rollback';
  if (s.includes('rate_limit_hits')) return 'rate_limit';
  if (/\bupdate\s+"?factory_versions"?/.test(s)) return 'version';
  if (/\bfor update\b/.test(text.toLowerCase())) return 'lock';
  if (s.startsWith('select') || s.startsWith('with')) return 'read';
  if (s.startsWith('insert') || s.startsWith('update') || s.startsWith('delete')) return 'write';
  return 'other';
}

export class DbProfiler {
  private readonly als = new AsyncLocalStorage<RequestProfile>();
  private routes = new Map<string, { totals: number[]; profiles: RequestProfile[] }>();
  private background = { roundTrips: 0, ms: 0 };
  private loop = monitorEventLoopDelay({ resolution: 10 });
  private startedAt = performance.now();
  private poolSamples = { n: 0, waiting: 0, maxWaiting: 0, busy: 0 };
  private pools: pg.Pool[] = [];
  private sampler: NodeJS.Timeout;

  constructor() {
    this.loop.enable();
    this.sampler = setInterval(() => this.samplePools(), 50);
    this.sampler.unref();
  }

  /** Runs `fn` (and everything it starts) on behalf of `profile`. */
  run<T>(profile: RequestProfile, fn: () => T): T {
    return this.als.run(profile, fn);
  }

  newRequest(): RequestProfile {
    return { poolWaitMs: 0, versionHeldMs: 0, versionSince: null, count: emptyCounts(), ms: emptyCounts() };
  }

  /** A request finished: account it under its endpoint. */
  record(route: string, totalMs: number, profile: RequestProfile): void {
    let r = this.routes.get(route);
    if (!r) this.routes.set(route, (r = { totals: [], profiles: [] }));
    r.totals.push(totalMs);
    r.profiles.push(profile);
  }

  /** Times every connection wait and statement of the pool's clients. */
  instrument(pool: pg.Pool): void {
    this.pools.push(pool);
    const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
    const wrapped = new WeakSet<pg.PoolClient>();
    const als = this.als;
    const account = (owner: RequestProfile | undefined, kind: StatementKind, ms: number) =>
      this.account(owner, kind, ms);
    (pool as { connect: () => Promise<pg.PoolClient> }).connect = async () => {
      const profile = als.getStore();
      const t0 = performance.now();
      const client = await connect();
      if (profile) profile.poolWaitMs += performance.now() - t0;
      if (!wrapped.has(client)) {
        wrapped.add(client);
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        (client as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
          const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '');
          const owner = als.getStore();
          const kind = statementKind(text);
          const started = performance.now();
          if (owner && kind === 'version' && owner.versionSince === null) owner.versionSince = started;
          const result = query(...args);
          const done = () => {
            const end = performance.now();
            account(owner, kind, end - started);
            if (owner && owner.versionSince !== null && (kind === 'commit' || kind === 'rollback')) {
              owner.versionHeldMs += end - owner.versionSince;
              owner.versionSince = null;
            }
          };
          if (result && typeof (result as Promise<unknown>).then === 'function') {
            (result as Promise<unknown>).then(done, done);
          }
          return result;
        };
      }
      return client;
    };
  }

  private account(profile: RequestProfile | undefined, kind: StatementKind, ms: number): void {
    if (!profile) {
      this.background.roundTrips++;
      this.background.ms += ms;
      return;
    }
    profile.count[kind]++;
    profile.ms[kind] += ms;
  }

  /** The main pool (the first instrumented): the one requests queue for. */
  private samplePools(): void {
    const p = this.pools[0];
    if (!p) return;
    this.poolSamples.n++;
    this.poolSamples.waiting += p.waitingCount;
    this.poolSamples.busy += p.totalCount - p.idleCount;
    this.poolSamples.maxWaiting = Math.max(this.poolSamples.maxWaiting, p.waitingCount);
  }

  /** The summary since the last one, and a fresh start. */
  takeSummary(): ProfileSummary {
    const routes: Record<string, RouteSummary> = {};
    for (const [route, r] of this.routes) {
      const n = r.profiles.length;
      const sorted = [...r.totals].sort((a, b) => a - b);
      const at = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]!;
      const byKind: RouteSummary['byKind'] = {};
      let trips = 0;
      let dbMs = 0;
      for (const kind of STATEMENT_KINDS) {
        const c = r.profiles.reduce((s, p) => s + p.count[kind], 0);
        const ms = r.profiles.reduce((s, p) => s + p.ms[kind], 0);
        if (c > 0) byKind[kind] = { roundTrips: c / n, ms: ms / n };
        trips += c;
        dbMs += ms;
      }
      const poolWait = r.profiles.reduce((s, p) => s + p.poolWaitMs, 0) / n;
      const mean = r.totals.reduce((s, x) => s + x, 0) / n;
      const held = r.profiles
        .filter((p) => p.versionHeldMs > 0)
        .map((p) => p.versionHeldMs)
        .sort((a, b) => a - b);
      routes[route] = {
        versionHeldMs: held.length
          ? {
              mean: held.reduce((x, y) => x + y, 0) / held.length,
              p99: held[Math.min(held.length - 1, Math.ceil(0.99 * held.length) - 1)]!,
            }
          : null,
        requests: n,
        totalMs: { mean, p50: at(50), p99: at(99) },
        poolWaitMs: poolWait,
        roundTrips: trips / n,
        dbMs: dbMs / n,
        otherMs: Math.max(0, mean - poolWait - dbMs / n),
        byKind,
      };
    }
    const s = this.poolSamples;
    const summary: ProfileSummary = {
      windowMs: performance.now() - this.startedAt,
      eventLoopDelayMs: {
        p50: this.loop.percentile(50) / 1e6,
        p99: this.loop.percentile(99) / 1e6,
        max: this.loop.max / 1e6,
      },
      pool: {
        max: this.pools[0]?.options.max ?? 0,
        meanWaiting: s.n ? s.waiting / s.n : 0,
        maxWaiting: s.maxWaiting,
        meanBusy: s.n ? s.busy / s.n : 0,
      },
      background: { ...this.background },
      routes,
    };
    this.routes = new Map();
    this.background = { roundTrips: 0, ms: 0 };
    this.loop.reset();
    this.poolSamples = { n: 0, waiting: 0, maxWaiting: 0, busy: 0 };
    this.startedAt = performance.now();
    return summary;
  }

  close(): void {
    clearInterval(this.sampler);
    this.loop.disable();
  }
}
