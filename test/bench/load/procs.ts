/**
 * What a process costs, read from /proc (Linux): CPU seconds (user + system) and resident memory,
 * sampled while a load runs; and the machine's load average, which says how much else was running.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU seconds the process has used so far, or null when it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** Resident set size in bytes, or null when the process is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

/** Samples a set of processes every `everyMs`: CPU used over the window, peak and last RSS, load average. */
export class ProcessSampler {
  private readonly pids: () => number[];
  private readonly cpuAtStart = new Map<number, number>();
  private readonly cpuLast = new Map<number, number>();
  private peakRss = new Map<number, number>();
  private lastRss = new Map<number, number>();
  private loads: number[] = [];
  private timer: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private stoppedAt = 0;

  constructor(pids: () => number[]) {
    this.pids = pids;
  }

  start(everyMs = 500): void {
    this.startedAt = performance.now();
    for (const pid of this.pids()) this.cpuAtStart.set(pid, cpuSeconds(pid) ?? 0);
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  private sample(): void {
    this.loads.push(loadAverage());
    for (const pid of this.pids()) {
      if (!this.cpuAtStart.has(pid)) this.cpuAtStart.set(pid, cpuSeconds(pid) ?? 0);
      const cpu = cpuSeconds(pid);
      if (cpu !== null) this.cpuLast.set(pid, cpu);
      const rss = rssBytes(pid);
      if (rss !== null) {
        this.lastRss.set(pid, rss);
        this.peakRss.set(pid, Math.max(rss, this.peakRss.get(pid) ?? 0));
      }
    }
  }

  stop(): void {
    this.sample();
    this.stoppedAt = performance.now();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** CPU used over the window as a share of one core (1.0 = one core busy all the time), summed over the processes. */
  cpuCores(): number {
    const seconds = (this.stoppedAt - this.startedAt) / 1000;
    let used = 0;
    for (const [pid, start] of this.cpuAtStart) used += (this.cpuLast.get(pid) ?? start) - start;
    return seconds > 0 ? used / seconds : 0;
  }

  cpuSecondsUsed(): number {
    let used = 0;
    for (const [pid, start] of this.cpuAtStart) used += (this.cpuLast.get(pid) ?? start) - start;
    return used;
  }

  peakRssBytes(): number {
    return [...this.peakRss.values()].reduce((s, x) => s + x, 0);
  }

  lastRssBytes(): number {
    return [...this.lastRss.values()].reduce((s, x) => s + x, 0);
  }

  load(): { mean: number; max: number } {
    const n = this.loads.length || 1;
    return { mean: this.loads.reduce((s, x) => s + x, 0) / n, max: Math.max(0, ...this.loads) };
  }
}
