/**
 * What PostgreSQL's backends of one database are doing, sampled from pg_stat_activity every few
 * milliseconds while a load runs: running, waiting for a lock (and on which statement), waiting on
 * WAL (commit), or idle inside a transaction (waiting for the hub's next statement). The mean number
 * of backends in each state is where the database's share of a request's time goes. Also the CPU the
 * backends used (/proc).
 */
import pg from 'pg';
import { cpuSeconds } from './procs.ts';

export interface ActivityReport {
  samples: number;
  /** Mean number of backends in each state, largest first. */
  states: Array<{ state: string; meanBackends: number }>;
  /** Statements seen waiting for a lock, with the mean number of backends waiting on each. */
  lockWaits: Array<{ statement: string; meanBackends: number }>;
  backendCpuSeconds: number;
}

export class PgActivitySampler {
  private readonly client: pg.Client;
  private readonly database: string;
  private counts = new Map<string, number>();
  private locks = new Map<string, number>();
  private samples = 0;
  private running = false;
  private loop: Promise<void> | null = null;
  private cpuStart = new Map<number, number>();
  private cpuLast = new Map<number, number>();

  constructor(databaseUrl: string) {
    this.client = new pg.Client({ connectionString: databaseUrl });
    this.database = new URL(databaseUrl).pathname.slice(1);
  }

  async start(everyMs = 20): Promise<void> {
    await this.client.connect();
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        await this.sample();
        await new Promise((r) => setTimeout(r, everyMs));
      }
    })();
  }

  private async sample(): Promise<void> {
    const { rows } = await this.client.query<{
      pid: number;
      state: string | null;
      wait_event_type: string | null;
      wait_event: string | null;
      query: string;
    }>(
      `select pid, state, wait_event_type, wait_event, left(regexp_replace(query, '\\s+', ' ', 'g'), 70) as query
         from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and backend_type = 'client backend'`,
      [this.database],
    );
    this.samples++;
    for (const r of rows) {
      let state: string;
      if (r.state === 'active') {
        state = r.wait_event_type ? `active, waiting ${r.wait_event_type}:${r.wait_event}` : 'active, running';
        if (r.wait_event_type === 'Lock') this.locks.set(r.query, (this.locks.get(r.query) ?? 0) + 1);
      } else if (r.state === 'idle in transaction') {
        state = 'idle in transaction (waiting for the hub)';
      } else if (r.state === 'idle' && r.wait_event === 'ClientRead') {
        // LISTEN connections and free pool connections look alike: both wait for the client.
        state = 'idle (free connection)';
      } else {
        state = r.state ?? 'unknown';
      }
      this.counts.set(state, (this.counts.get(state) ?? 0) + 1);
      const cpu = cpuSeconds(r.pid);
      if (cpu !== null) {
        if (!this.cpuStart.has(r.pid)) this.cpuStart.set(r.pid, cpu);
        this.cpuLast.set(r.pid, cpu);
      }
    }
  }

  async stop(): Promise<ActivityReport> {
    this.running = false;
    await this.loop;
    await this.client.end();
    const n = this.samples || 1;
    const sorted = (m: Map<string, number>) =>
      [...m].map(([k, v]) => ({ key: k, mean: v / n })).sort((a, b) => b.mean - a.mean);
    let cpu = 0;
    for (const [pid, start] of this.cpuStart) cpu += (this.cpuLast.get(pid) ?? start) - start;
    return {
      samples: this.samples,
      states: sorted(this.counts).map((x) => ({ state: x.key, meanBackends: x.mean })),
      lockWaits: sorted(this.locks).map((x) => ({ statement: x.key, meanBackends: x.mean })),
      backendCpuSeconds: cpu,
    };
  }
}
