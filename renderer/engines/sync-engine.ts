/**
 * The sync engine (DESIGN.md §1, §4): the renderer decides *when*, main does the HTTP, and the results
 * land in Dexie.
 * - Pull: incremental from the stored cursor, page after page (the next page is fetched while the
 *   current one is written), resets followed; when the hub pushes that the feed changed (main's
 *   event stream, `feedChanged`), on a timer, when the hub comes back, and on demand. While the
 *   stream is open the timer slows down (livePullIntervalMs), but keeps running: it is the fallback
 *   for a push that never came.
 * - Push: the outbox in id order, exactly once. A permanent rejection is recorded and the queue moves
 *   on; an `intercept` raises an alert that stays until acknowledged; a transient failure keeps the
 *   entries and retries with jittered backoff.
 */
import type { MutationResult } from '../../shared/api/waybills.ts';
import { StationError, type HubStatus, type StationClient } from '../../shared/ipc/index.ts';
import { META, type OutboxRow, type StationDb } from '../data/db.ts';
import { applyFeedPage } from '../data/orders-repo.ts';
import { clientIdOf } from '../data/outbox-repo.ts';

export interface SyncStatus {
  online: boolean;
  lastSyncAt: string | null;
  pulling: boolean;
  pushing: boolean;
  pendingReturns: number;
  lastError: string | null;
}

export interface SyncEngineOptions {
  /** Between pulls while main's event stream to the hub is closed. */
  pullIntervalMs?: number;
  /** Between pulls while it is open (changes are pushed; this only catches a lost push). */
  livePullIntervalMs?: number;
  /** How long a pushed change waits before the pull, so a burst of them makes one pull. */
  pushDebounceMs?: number;
  pageLimit?: number;
  maxBackoffMs?: number;
  now?: () => Date;
}

const PUSH_BATCH = 200;
const KICK_DELAY_MS = 250;

export class SyncEngine {
  private readonly db: StationDb;
  private readonly client: StationClient;
  private readonly pullIntervalMs: number;
  private readonly livePullIntervalMs: number;
  private readonly pushDebounceMs: number;
  private readonly pageLimit: number;
  private readonly maxBackoffMs: number;
  private readonly now: () => Date;
  private timer: ReturnType<typeof setInterval> | null = null;
  private kickTimer: ReturnType<typeof setTimeout> | null = null;
  private feedTimer: ReturnType<typeof setTimeout> | null = null;
  private live = false;
  private unsub: Array<() => void> = [];
  private pullRun: Promise<void> | null = null;
  private pullAgain = false;
  private pushRun: Promise<void> | null = null;
  private pushAgain = false;
  private nextPullAt = 0;
  private nextPushAt = 0;
  private pullFailures = 0;
  private pushFailures = 0;
  private listeners = new Set<(s: SyncStatus) => void>();
  status: SyncStatus = {
    online: false,
    lastSyncAt: null,
    pulling: false,
    pushing: false,
    pendingReturns: 0,
    lastError: null,
  };

  constructor(db: StationDb, client: StationClient, opts: SyncEngineOptions = {}) {
    this.db = db;
    this.client = client;
    this.pullIntervalMs = opts.pullIntervalMs ?? 5_000;
    this.livePullIntervalMs = opts.livePullIntervalMs ?? 30_000;
    this.pushDebounceMs = opts.pushDebounceMs ?? 50;
    this.pageLimit = opts.pageLimit ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 30_000;
    this.now = opts.now ?? (() => new Date());
  }

  /** Whether main's event stream to the hub is open (the last `feedChanged` said so). */
  get streaming(): boolean {
    return this.live;
  }

  onStatus(listener: (s: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<SyncStatus>) {
    this.status = { ...this.status, ...patch };
    for (const l of this.listeners) l(this.status);
  }

  async start(): Promise<void> {
    this.set({
      lastSyncAt: ((await this.db.meta.get(META.lastSyncAt))?.value as string | null) ?? null,
      pendingReturns: await this.db.outbox.count(),
    });
    this.unsub.push(
      this.client.on('hubStatus', (s: HubStatus) => {
        const cameBack = s.online && !this.status.online;
        this.set({ online: s.online });
        if (cameBack) {
          // Back online: pull and push now, not at the end of a backoff.
          this.pullFailures = 0;
          this.pushFailures = 0;
          this.nextPullAt = 0;
          this.nextPushAt = 0;
          void this.pull().catch(() => undefined);
          void this.push().catch(() => undefined);
        }
      }),
    );
    this.unsub.push(this.client.on('feedChanged', (e) => this.feedChanged(e.live)));
    try {
      this.set({ online: (await this.client.api.hubStatus({})).online });
    } catch {
      // the station service is not reachable yet; the hubStatus event will tell
    }
    this.timer = setInterval(() => this.tick(), 500);
    void this.pull().catch(() => undefined);
    void this.push().catch(() => undefined);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.kickTimer) clearTimeout(this.kickTimer);
    if (this.feedTimer) clearTimeout(this.feedTimer);
    this.timer = null;
    this.kickTimer = null;
    this.feedTimer = null;
    for (const u of this.unsub) u();
    this.unsub = [];
  }

  /**
   * The hub pushed a change, or the stream opened (live) — pull soon, once for a burst — or the
   * stream closed: the next timed pull comes at the normal pace again.
   */
  private feedChanged(live: boolean) {
    this.live = live;
    if (!live) {
      this.nextPullAt = Math.min(this.nextPullAt, Date.now() + this.pullIntervalMs);
      return;
    }
    if (this.feedTimer) return;
    this.feedTimer = setTimeout(() => {
      this.feedTimer = null;
      void this.pull().catch(() => undefined);
    }, this.pushDebounceMs);
  }

  private tick() {
    const t = Date.now();
    if (!this.pullRun && t >= this.nextPullAt) void this.pull().catch(() => undefined);
    if (!this.pushRun && this.status.pendingReturns > 0 && t >= this.nextPushAt)
      void this.push().catch(() => undefined);
  }

  private backoff(failures: number): number {
    const base = Math.min(this.maxBackoffMs, 1000 * 2 ** Math.min(failures, 10));
    return base / 2 + Math.random() * (base / 2);
  }

  /** Pulls until the feed has nothing more; concurrent calls share the run (and ask for one more). */
  pull(): Promise<void> {
    if (this.pullRun) {
      this.pullAgain = true;
      return this.pullRun;
    }
    this.pullRun = (async () => {
      this.set({ pulling: true });
      try {
        do {
          this.pullAgain = false;
          await this.pullOnce();
        } while (this.pullAgain);
        this.pullFailures = 0;
        this.nextPullAt = Date.now() + (this.live ? this.livePullIntervalMs : this.pullIntervalMs);
        this.set({ lastError: null });
      } catch (e) {
        this.pullFailures++;
        this.nextPullAt = Date.now() + this.backoff(this.pullFailures);
        this.set({ lastError: e instanceof Error ? e.message : String(e) });
        throw e;
      } finally {
        this.pullRun = null;
        this.set({ pulling: false });
      }
    })();
    return this.pullRun;
  }

  private async pullOnce(): Promise<void> {
    const cursor = ((await this.db.meta.get(META.cursor))?.value as string | undefined) ?? null;
    let next = this.client.api.pullFeed({ cursor, limit: this.pageLimit });
    let afterReset = false;
    for (;;) {
      const page = await next;
      let prefetch: typeof next | null = null;
      if (page.hasMore) {
        prefetch = this.client.api.pullFeed({ cursor: page.cursor, limit: this.pageLimit });
        prefetch.catch(() => undefined);
      }
      const at = this.now().toISOString();
      await applyFeedPage(this.db, page, at, afterReset);
      afterReset ||= page.reset;
      this.set({ lastSyncAt: at });
      if (!prefetch) return;
      next = prefetch;
    }
  }

  /** Pushes the outbox until it is empty; concurrent calls share the run. */
  push(): Promise<void> {
    if (this.pushRun) {
      this.pushAgain = true;
      return this.pushRun;
    }
    this.pushRun = (async () => {
      this.set({ pushing: true });
      try {
        do {
          this.pushAgain = false;
          while (await this.pushOnce()) {
            /* until empty */
          }
        } while (this.pushAgain);
        this.pushFailures = 0;
      } catch (e) {
        this.pushFailures++;
        this.nextPushAt = Date.now() + this.backoff(this.pushFailures);
        this.set({ lastError: e instanceof Error ? e.message : String(e) });
        throw e;
      } finally {
        this.pushRun = null;
        this.set({ pushing: false, pendingReturns: await this.db.outbox.count() });
      }
    })();
    return this.pushRun;
  }

  /** One request; returns whether anything was pushed. */
  private async pushOnce(): Promise<boolean> {
    const batch = await this.db.outbox.orderBy('id').limit(PUSH_BATCH).toArray();
    if (batch.length === 0) return false;
    const clientId = await clientIdOf(this.db);
    let res;
    try {
      res = await this.client.api.pushMutations({ clientId, mutations: batch.map((b) => b.mutation) });
    } catch (e) {
      const msg = e instanceof StationError ? `${e.message}${e.causeCode ? ` (${e.causeCode})` : ''}` : String(e);
      await this.db.outbox.bulkUpdate(
        batch.map((b) => ({ key: b.id, changes: { attempts: b.attempts + 1, lastError: msg } })),
      );
      throw e;
    }
    await this.applyResults(batch, res.results);
    this.set({ pendingReturns: await this.db.outbox.count() });
    return true;
  }

  private async applyResults(batch: OutboxRow[], results: MutationResult[]): Promise<void> {
    const byId = new Map(batch.map((b) => [b.id, b]));
    const at = this.now().toISOString();
    await this.db.transaction('rw', [this.db.outbox, this.db.printLog, this.db.alerts], async () => {
      for (const r of results) {
        const row = byId.get(r.id);
        if (!row) continue;
        await this.db.outbox.delete(r.id);
        const m = row.mutation;
        if (m.type === 'waybill_returned') {
          const logs = await this.db.printLog.where('waybillNo').equals(m.waybillNo).toArray();
          for (const l of logs) {
            if (l.returnState !== 'pending') continue;
            await this.db.printLog.update(l.id!, {
              returnState: r.status === 'applied' ? 'returned' : 'rejected',
              returnMessage: r.status === 'applied' ? null : r.message,
            });
          }
        }
        if (r.status === 'rejected' && r.intercept) {
          await this.db.alerts.add({
            kind: 'intercept',
            orderSn: m.orderSn,
            waybillNo: m.waybillNo,
            reason: r.reason,
            message: r.message,
            createdAt: at,
            acked: 0,
            ackedAt: null,
          });
        }
      }
    });
  }

  /**
   * Ask for a push soon (after a label was sent). Labels come every few tens of milliseconds: their returns
   * go together, a moment later, rather than one request per label.
   */
  kick(): void {
    this.status = { ...this.status, pendingReturns: Math.max(1, this.status.pendingReturns) };
    if (this.kickTimer) return;
    this.kickTimer = setTimeout(() => {
      this.kickTimer = null;
      this.nextPushAt = 0;
      void this.push().catch(() => undefined);
    }, KICK_DELAY_MS);
  }
}
