/**
 * The hub under a fleet of print stations (`npm run bench:load`; plain Node, no vitest).
 *
 * The hub runs as its own process(es) (`server/main.ts`, as in production), this process is the load
 * generator, and both databases run in the same invocation so their figures compare. Modes:
 *
 * - `paced` (default): N stations in an open loop at a station's real pace — a feed pull every 5 s and
 *   a chunk of 20 labels every 20 s (check, waybills, returns). Per endpoint: p50/p99/max from the
 *   moment a request was due, errors, requests/s; the hub's CPU (share of one core) and RSS, the
 *   generator's CPU, PostgreSQL's backends (CPU, and what they waited on), and the load average.
 * - `saturate`: C stations back to back (no pause): the throughput a configuration can give. Run it
 *   with `--nodes 1,2` to get the ratio of two nodes to one in the same invocation.
 * - `push`: N stations hold the event stream open (idle) — the hub's RSS before and after — then
 *   changes are made (allocations, orders turning abnormal) and each connected station of the factory
 *   times the event; p50/p99 from the moment the change was requested.
 *
 * Options (all optional):
 *   --stations N          simulated stations (default 500)
 *   --duration S          seconds of measured load (default 60 paced, 20 saturate)
 *   --nodes 1,2           hub processes on one database; several values run one after another
 *                         (SQLite runs one node only: it is the single-machine database)
 *   --db sqlite,postgres  databases (default both; postgres needs DAIFA_TEST_PG_URL)
 *   --mode paced,saturate,push
 *   --per-factory N       stations per factory (default 2)
 *   --clients C           back-to-back clients of `saturate` (default 32)
 *   --pool N              HUB_DB_POOL_SIZE of each hub (default: the hub's own default)
 *   --profile             also write where each endpoint's PostgreSQL time went (HUB_PROFILE_FILE)
 *   --rounds R            changes timed by `push` (default 60)
 *   --json FILE           also write every figure as JSON
 *
 * Rate limits: the stations stay within the hub's default `station` class (3000/min per station
 * token): the paced pace is 21 requests a minute. Setting up the fleet pairs every station from this
 * one address and allocates in bulk, so the run starts its hubs with the `public` and `bulk` classes
 * off (HUB_RATE_LIMIT_PUBLIC=off, HUB_RATE_LIMIT_BULK=off); `saturate` clients go far beyond a real
 * station's pace by design, so that mode also turns the `station` class off.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { freshDatabase, type Dialect, type TestHub } from '../server/support/hub.ts';
import { startHubProcess, type HubProcess } from '../support/station.ts';
import type { ProfileSummary } from '../../server/db/profile.ts';
import {
  ENDPOINT_NAMES,
  eachLimited,
  pullFeed,
  Recorder,
  runPaced,
  runSaturated,
  setUpFleet,
  type SimFactory,
  type SimStation,
} from './load/fleet.ts';
import { PgActivitySampler, type ActivityReport } from './load/pg-activity.ts';
import { ProcessSampler } from './load/procs.ts';
import { fmtMs, markdownTable, percentile } from './stats.ts';
import { runPush, type PushReport } from './load/push.ts';

const PG_URL = process.env.DAIFA_TEST_PG_URL ?? '';

const { values: args } = parseArgs({
  options: {
    stations: { type: 'string', default: '500' },
    duration: { type: 'string' },
    nodes: { type: 'string', default: '1' },
    db: { type: 'string', default: 'sqlite,postgres' },
    mode: { type: 'string', default: 'paced' },
    'per-factory': { type: 'string', default: '2' },
    clients: { type: 'string', default: '32' },
    pool: { type: 'string' },
    profile: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '60' },
    json: { type: 'string' },
  },
});

function positive(name: string, v: string | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number (got ${v})`);
  return n;
}

const STATIONS = positive('stations', args.stations);
const PER_FACTORY = positive('per-factory', args['per-factory']);
const CLIENTS = positive('clients', args.clients);
const ROUNDS = positive('rounds', args.rounds);
const NODE_COUNTS = args.nodes.split(',').map((n) => positive('nodes', n));
const MODES = args.mode.split(',') as Array<'paced' | 'saturate' | 'push'>;
for (const m of MODES) if (!['paced', 'saturate', 'push'].includes(m)) throw new Error(`unknown --mode ${m}`);
const DIALECTS = args.db.split(',').filter((d): d is Dialect => {
  if (d !== 'sqlite' && d !== 'postgres') throw new Error(`unknown --db ${d}`);
  if (d === 'postgres' && !PG_URL) {
    console.warn('!! PostgreSQL skipped: set DAIFA_TEST_PG_URL');
    return false;
  }
  return true;
});
/** Each database with each node count; SQLite runs one node only (it is the single-machine database). */
const CONFIGURATIONS = DIALECTS.flatMap((d) =>
  NODE_COUNTS.filter((n) => d === 'postgres' || n === 1).map((n) => [d, n] as const),
);

const FEED_EVERY_MS = 5_000;
const CHUNK_EVERY_MS = 20_000;
const CHUNK = 20;

interface Cluster {
  dialect: Dialect;
  nodes: HubProcess[];
  databaseUrl: string;
  profileDir: string;
  admin: TestHub;
  close(): Promise<void>;
}

async function startCluster(dialect: Dialect, nodeCount: number, extraEnv: Record<string, string>): Promise<Cluster> {
  const { url: databaseUrl, drop } = await freshDatabase(dialect);
  const profileDir = mkdtempSync(path.join(tmpdir(), 'daifa-load-'));
  const nodes: HubProcess[] = [];
  const adminToken = `admin-load-${Date.now()}`;
  for (let i = 0; i < nodeCount; i++) {
    // One after the other: the first applies the migrations.
    nodes.push(
      await startHubProcess({
        dialect,
        databaseUrl,
        adminToken,
        env: {
          LOG_LEVEL: 'error',
          HUB_TEST_CLOCK: '0',
          HUB_RATE_LIMIT_PUBLIC: 'off',
          HUB_RATE_LIMIT_BULK: 'off',
          ...(args.pool ? { HUB_DB_POOL_SIZE: args.pool } : {}),
          ...(args.profile && dialect === 'postgres'
            ? { HUB_PROFILE_FILE: path.join(profileDir, `node${i}.json`) }
            : {}),
          ...extraEnv,
        },
      }),
    );
  }
  return {
    dialect,
    nodes,
    databaseUrl,
    profileDir,
    admin: nodes[0]!.asTestHub(),
    async close() {
      for (const n of nodes) await n.close();
      await drop();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** Each node writes what it counted since the last signal; the first call starts the window. */
async function takeProfiles(c: Cluster): Promise<ProfileSummary[]> {
  if (!args.profile || c.dialect !== 'postgres') return [];
  for (const n of c.nodes) if (n.pid) process.kill(n.pid, 'SIGUSR2');
  await new Promise((r) => setTimeout(r, 300));
  return c.nodes.map((_, i) => JSON.parse(readFileSync(path.join(c.profileDir, `node${i}.json`), 'utf8')));
}

interface Measured {
  label: string;
  dialect: Dialect;
  nodes: number;
  stations: number;
  wallMs: number;
  rec: Recorder;
  hubCpuCores: number;
  hubCpuSecondsPerRequest: number;
  hubPeakRssMiB: number;
  generatorCpuCores: number;
  /** The generator's own event-loop delay: how late it could send what was due. */
  generatorLagP99Ms: number;
  pg: ActivityReport | null;
  pgCpuCores: number | null;
  load: { mean: number; max: number };
  profiles: ProfileSummary[];
}

async function measure(c: Cluster, label: string, stations: number, work: () => Promise<Recorder>): Promise<Measured> {
  const hubs = new ProcessSampler(() => c.nodes.flatMap((n) => (n.pid ? [n.pid] : [])));
  const pg = c.dialect === 'postgres' ? new PgActivitySampler(c.databaseUrl) : null;
  await takeProfiles(c);
  hubs.start();
  await pg?.start();
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const rec = await work();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  lag.disable();
  hubs.stop();
  const activity = (await pg?.stop()) ?? null;
  const profiles = await takeProfiles(c);
  const requests = ENDPOINT_NAMES.reduce((s, n) => s + rec.of(n).latencies.length + rec.of(n).errors, 0);
  return {
    label,
    dialect: c.dialect,
    nodes: c.nodes.length,
    stations,
    wallMs,
    rec,
    hubCpuCores: hubs.cpuCores(),
    hubCpuSecondsPerRequest: requests ? hubs.cpuSecondsUsed() / requests : 0,
    hubPeakRssMiB: hubs.peakRssBytes() / 2 ** 20,
    generatorCpuCores: (cpu.user + cpu.system) / 1000 / wallMs,
    generatorLagP99Ms: lag.percentile(99) / 1e6,
    pg: activity,
    pgCpuCores: activity ? activity.backendCpuSeconds / (wallMs / 1000) : null,
    load: hubs.load(),
    profiles,
  };
}

/** Every station pulls its whole feed once (a paired station's first sync), unmeasured. */
async function initialSync(stations: SimStation[]): Promise<void> {
  const rec = new Recorder();
  await eachLimited(stations, 16, async (s) => {
    await pullFeed(rec, s, performance.now());
  });
  const failed = rec.of('feed').errors;
  if (failed > 0) throw new Error(`initial sync: ${failed} feed requests failed`);
}

// ───────────────────────── report ─────────────────────────

const lines: string[] = [];
const out = (s = '') => {
  lines.push(s);
  console.log(s);
};

function endpointRows(m: Measured, windowMs: number): string[][] {
  const rows: string[][] = [];
  for (const name of ENDPOINT_NAMES) {
    const st = m.rec.of(name);
    if (st.latencies.length === 0 && st.errors === 0) continue;
    const kinds = [...st.errorKinds].map(([k, n]) => `${n}× ${k}`).join(', ');
    rows.push([
      name,
      String(st.latencies.length + st.errors),
      `${((st.latencies.length / windowMs) * 1000).toFixed(1)}/s`,
      fmtMs(percentile(st.latencies, 50)),
      fmtMs(percentile(st.latencies, 99)),
      fmtMs(st.latencies.length ? Math.max(...st.latencies) : NaN),
      st.errors ? `${st.errors} (${kinds})` : '0',
      String(st.refused),
    ]);
  }
  return rows;
}

function reportMeasured(m: Measured, windowMs: number, goalP99Ms: number | null): void {
  out(`#### ${m.label}`);
  out();
  out(
    markdownTable(
      ['endpoint', 'requests', 'req/s', 'p50', 'p99', 'max', 'errors', 'orders refused'],
      endpointRows(m, windowMs),
    ),
  );
  out();
  const total = ENDPOINT_NAMES.reduce((s, n) => s + m.rec.of(n).latencies.length, 0);
  const errors = ENDPOINT_NAMES.reduce((s, n) => s + m.rec.of(n).errors, 0);
  const worstP99 = Math.max(
    ...ENDPOINT_NAMES.map((n) => percentile(m.rec.of(n).latencies, 99)).filter(Number.isFinite),
  );
  const facts = [
    `${(total / (windowMs / 1000)).toFixed(0)} requests/s answered, ${errors} errors`,
    `hub CPU ${(m.hubCpuCores * 100).toFixed(0)} % of one core (${m.nodes} process${m.nodes > 1 ? 'es' : ''}; ${(m.hubCpuSecondsPerRequest * 1000).toFixed(2)} ms CPU per request), peak RSS ${m.hubPeakRssMiB.toFixed(0)} MiB`,
    m.pgCpuCores !== null ? `PostgreSQL backends ${(m.pgCpuCores * 100).toFixed(0)} % of one core` : null,
    `load generator ${(m.generatorCpuCores * 100).toFixed(0)} % of one core, its event-loop delay p99 ${fmtMs(m.generatorLagP99Ms)}`,
    `load average ${m.load.mean.toFixed(1)} (max ${m.load.max.toFixed(1)}) on ${2} cores`,
    goalP99Ms !== null
      ? `goal every p99 ≤ ${goalP99Ms} ms and 0 errors: ${worstP99 <= goalP99Ms && errors === 0 ? 'met' : 'NOT met'} (worst p99 ${fmtMs(worstP99)})`
      : null,
  ].filter(Boolean);
  for (const f of facts) out(`- ${f}`);
  out();
  if (m.pg) {
    out('PostgreSQL backends of this database, mean number in each state (sampled every 20 ms):');
    out();
    out(
      markdownTable(
        ['state', 'backends'],
        m.pg.states.slice(0, 8).map((s) => [s.state, s.meanBackends.toFixed(2)]),
      ),
    );
    out();
    if (m.pg.lockWaits.length > 0) {
      out('Waiting for a lock, by statement:');
      out();
      out(
        markdownTable(
          ['statement', 'backends'],
          m.pg.lockWaits
            .slice(0, 6)
            .map((s) => [`\`${s.statement.replaceAll('|', '\\|')}\``, s.meanBackends.toFixed(2)]),
        ),
      );
      out();
    }
  }
  for (const [i, p] of m.profiles.entries()) reportProfile(p, m.profiles.length > 1 ? `node ${i + 1}` : 'hub');
}

function reportProfile(p: ProfileSummary, who: string): void {
  out(
    `Where a request's time went on the ${who} (means per request; event-loop delay p99 ${fmtMs(p.eventLoopDelayMs.p99)}, pool ${p.pool.max}: ${p.pool.meanBusy.toFixed(1)} busy and ${p.pool.meanWaiting.toFixed(1)} waiting on average, ${p.pool.maxWaiting} at most):`,
  );
  out();
  const rows = Object.entries(p.routes)
    .filter(([, r]) => r.requests >= 10)
    .sort((a, b) => b[1].requests - a[1].requests)
    .map(([route, r]) => {
      const k = (kind: keyof typeof r.byKind) => {
        const x = r.byKind[kind];
        return x ? `${x.roundTrips.toFixed(1)} / ${fmtMs(x.ms)}` : '–';
      };
      return [
        route.replace('/v1/station/', ''),
        String(r.requests),
        fmtMs(r.totalMs.mean),
        fmtMs(r.poolWaitMs),
        r.roundTrips.toFixed(1),
        fmtMs(r.dbMs),
        k('version'),
        k('lock'),
        k('commit'),
        r.versionHeldMs ? `${fmtMs(r.versionHeldMs.mean)} / ${fmtMs(r.versionHeldMs.p99)}` : '–',
        fmtMs(r.otherMs),
      ];
    });
  out(
    markdownTable(
      [
        'endpoint',
        'requests',
        'mean',
        'pool wait',
        'round trips',
        'in statements',
        'version row (n / ms)',
        'row locks',
        'commit',
        'version row held (mean / p99)',
        'rest (JS, event loop)',
      ],
      rows,
    ),
  );
  out();
}

// ───────────────────────── runs ─────────────────────────

const results: Record<string, unknown>[] = [];
const started = performance.now();
out(`### Load bench (\`npm run bench:load -- ${process.argv.slice(2).join(' ')}\`)`);
out();
out(
  `Started ${new Date().toISOString()}, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}.`,
);
out();

if (MODES.includes('paced')) {
  const durationMs = (args.duration ? positive('duration', args.duration) : 60) * 1000;
  out(
    `### Paced: ${STATIONS} stations (${PER_FACTORY} per factory), a feed pull every ${FEED_EVERY_MS / 1000} s and a chunk of ${CHUNK} every ${CHUNK_EVERY_MS / 1000} s, ${durationMs / 1000} s`,
  );
  out();
  for (const [dialect, nodeCount] of CONFIGURATIONS) {
    const c = await startCluster(dialect, nodeCount, {});
    try {
      const setupStart = performance.now();
      const chunks = Math.ceil(durationMs / CHUNK_EVERY_MS) + 1;
      const factories = await setUpFleet(c.admin, {
        stations: STATIONS,
        perFactory: PER_FACTORY,
        ordersPerStation: chunks * CHUNK,
        nodes: c.nodes.map((n) => n.url),
      });
      const stations = factories.flatMap((f) => f.stations);
      await initialSync(stations);
      const setupMs = performance.now() - setupStart;
      const label = `${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${nodeCount} node${nodeCount > 1 ? 's' : ''}, ${STATIONS} stations (setup ${(setupMs / 1000).toFixed(0)} s)`;
      const m = await measure(c, label, STATIONS, () =>
        runPaced(stations, {
          durationMs,
          feedEveryMs: FEED_EVERY_MS,
          chunkEveryMs: CHUNK_EVERY_MS,
          chunkSize: CHUNK,
        }),
      );
      reportMeasured(m, durationMs, 200);
      results.push(summary(m, durationMs, 'paced'));
    } finally {
      await c.close();
    }
  }
}

if (MODES.includes('saturate')) {
  const durationMs = (args.duration ? positive('duration', args.duration) : 20) * 1000;
  out(
    `### Saturation: ${CLIENTS} stations back to back (${PER_FACTORY} per factory; each cycle: 4 feed pulls, check, waybills and returns of ${CHUNK}, and the cancel of the ${CHUNK} returned two cycles before), ${durationMs / 1000} s`,
  );
  out();
  const perDialect = new Map<string, Array<{ nodes: number; rps: number }>>();
  for (const [dialect, nodeCount] of CONFIGURATIONS) {
    const c = await startCluster(dialect, nodeCount, { HUB_RATE_LIMIT_STATION: 'off' });
    try {
      const factories = await setUpFleet(c.admin, {
        stations: CLIENTS,
        perFactory: PER_FACTORY,
        ordersPerStation: 2 * CHUNK,
        nodes: c.nodes.map((n) => n.url),
      });
      const clients = factories.flatMap((f) => f.stations);
      await initialSync(clients);
      const label = `${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${nodeCount} node${nodeCount > 1 ? 's' : ''}, ${CLIENTS} back-to-back stations`;
      const m = await measure(c, label, CLIENTS, () => runSaturated(clients, { durationMs, chunkSize: CHUNK }));
      reportMeasured(m, durationMs, null);
      const s = summary(m, durationMs, 'saturate');
      results.push(s);
      const list = perDialect.get(dialect) ?? [];
      list.push({ nodes: nodeCount, rps: s.requestsPerSecond as number });
      perDialect.set(dialect, list);
    } finally {
      await c.close();
    }
  }
  for (const [dialect, list] of perDialect) {
    const one = list.find((x) => x.nodes === 1);
    if (!one || list.length < 2) continue;
    for (const x of list.filter((y) => y.nodes > 1)) {
      const ratio = x.rps / one.rps;
      out(
        `- ${dialect}: ${x.nodes} nodes answered ${x.rps.toFixed(0)} requests/s against ${one.rps.toFixed(0)}/s for one node: **${ratio.toFixed(2)}×** (goal ≥ 1.6×: ${ratio >= 1.6 ? 'met' : 'NOT met'})`,
      );
    }
    out();
  }
}

if (MODES.includes('push')) {
  out(`### Push: ${STATIONS} stations holding the event stream open, ${ROUNDS} changes timed`);
  out();
  for (const [dialect, nodeCount] of CONFIGURATIONS) {
    const c = await startCluster(dialect, nodeCount, {});
    try {
      const factories: SimFactory[] = await setUpFleet(c.admin, {
        stations: STATIONS,
        perFactory: PER_FACTORY,
        ordersPerStation: 0,
        sparePerFactory: Math.ceil(ROUNDS / Math.ceil(STATIONS / PER_FACTORY)) + 2,
        reservePerFactory: Math.ceil(ROUNDS / Math.ceil(STATIONS / PER_FACTORY)) + 2,
        nodes: c.nodes.map((n) => n.url),
      });
      // Fresh processes: the memory measured is an idle hub's with its streams, not what serving the
      // set-up left in the heap.
      for (const n of c.nodes) {
        await n.stop('SIGTERM');
        await n.start();
      }
      const report: PushReport = await runPush(c.nodes, factories, { rounds: ROUNDS });
      const label = `${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${nodeCount} node${nodeCount > 1 ? 's' : ''}`;
      reportPush(label, report, nodeCount);
      results.push({ mode: 'push', dialect, nodes: nodeCount, stations: STATIONS, ...report });
    } finally {
      await c.close();
    }
  }
}

function reportPush(label: string, r: PushReport, nodes: number): void {
  out(`#### ${label}`);
  out();
  out(
    markdownTable(
      ['measure', 'result', 'baseline (same run)', 'ratio'],
      [
        [
          `hub RSS with ${r.connected} idle connected stations (fresh hub process${nodes > 1 ? 'es, summed' : ''})`,
          `${r.rssConnectedMiB.toFixed(0)} MiB (+${(r.rssConnectedMiB - r.rssBeforeMiB).toFixed(0)} MiB)${nodes > 1 ? `, the larger node ${r.rssConnectedMaxNodeMiB.toFixed(0)} MiB` : ''} — goal < 200 MiB per hub: ${r.rssConnectedMaxNodeMiB < 200 ? 'met' : 'NOT met'}`,
          `before they connected: ${r.rssBeforeMiB.toFixed(0)} MiB`,
          `${(((r.rssConnectedMiB - r.rssBeforeMiB) * 1024) / Math.max(1, r.connected)).toFixed(1)} KiB per stream`,
        ],
        [
          `hub CPU while ${r.connected} streams idle (heartbeats)`,
          `${(r.idleCpuCores * 100).toFixed(1)} % of one core`,
          '',
          '',
        ],
        [
          `change → event at every connected station of the factory (${r.latencies.length} deliveries of ${r.rounds} changes)`,
          `p50 ${fmtMs(percentile(r.latencies, 50))}, p99 ${fmtMs(percentile(r.latencies, 99))}, max ${fmtMs(Math.max(...r.latencies))} — goal p99 ≤ 1 s: ${percentile(r.latencies, 99) <= 1000 && r.missed === 0 ? 'met' : 'NOT met'}`,
          `the change's own request: p50 ${fmtMs(percentile(r.changeMs, 50))}, p99 ${fmtMs(percentile(r.changeMs, 99))}`,
          `${r.missed} missed`,
        ],
      ],
    ),
  );
  out();
}

function summary(m: Measured, windowMs: number, mode: string): Record<string, unknown> {
  const perEndpoint = Object.fromEntries(
    ENDPOINT_NAMES.map((n) => {
      const st = m.rec.of(n);
      return [
        n,
        {
          requests: st.latencies.length + st.errors,
          p50: percentile(st.latencies, 50),
          p99: percentile(st.latencies, 99),
          errors: st.errors,
          refused: st.refused,
        },
      ];
    }),
  );
  const answered = ENDPOINT_NAMES.reduce((s, n) => s + m.rec.of(n).latencies.length, 0);
  return {
    mode,
    dialect: m.dialect,
    nodes: m.nodes,
    stations: m.stations,
    requestsPerSecond: answered / (windowMs / 1000),
    hubCpuCores: m.hubCpuCores,
    hubPeakRssMiB: m.hubPeakRssMiB,
    pgCpuCores: m.pgCpuCores,
    load: m.load,
    perEndpoint,
    pgStates: m.pg?.states,
    profiles: m.profiles,
  };
}

out(`Whole run: ${((performance.now() - started) / 1000).toFixed(0)} s.`);
if (args.json) writeFileSync(args.json, JSON.stringify(results, null, 1));
