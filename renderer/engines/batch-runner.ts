/**
 * The batch runner (DESIGN.md §1, §5, §7): a batch is built from a selection, prepared while online
 * (numbers, sealed payloads and the station's claims, 100 per call), then printed in chunks of at most
 * 20 through main, one queue per printer.
 *
 * Per label, two phases: main announces the label, this runner commits `sending` (strict durability)
 * and acks, main writes the bytes, and the `sent` event commits `sent` together with the return
 * (回传运单号) in the outbox. So after any crash, at most one label per printer is `sending`: recovery
 * turns it `in_doubt`, and a worker says whether it printed. Nothing is ever reprinted silently.
 */
import { COURIER_NAMES, type Courier } from '../../shared/domain/index.ts';
import {
  MAX_CHUNK_LABELS,
  MAX_PREPARE_ORDERS,
  StationError,
  type Freshness,
  type LabelAnnounced,
  type LabelEvent,
  type PrintItem,
  type StationClient,
  type StationErrorBody,
} from '../../shared/ipc/index.ts';
import {
  META,
  nextOrderSeqs,
  type BatchRow,
  type JobItemRow,
  type JobItemState,
  type PrintLogRow,
  type StationDb,
} from '../data/db.ts';
import { viewOf } from '../data/orders-repo.ts';
import { chinaTime } from '../i18n/index.ts';
import { enqueueFrom, nextMutationId } from '../data/outbox-repo.ts';
import type { SyncEngine } from './sync-engine.ts';

export interface BatchProgress {
  batchId: number;
  total: number;
  counts: Record<JobItemState, number>;
  /** Labels that reached an end state (sent, blocked, failed, cancelled). */
  done: number;
  /** Labels per second over the last seconds. */
  rate: number;
  /** Seconds left at that rate, or null. */
  etaSeconds: number | null;
}

export interface NewBatch {
  orderSns: string[];
  printerId: string;
  courier: Courier;
  sortBySku?: boolean;
  name?: string;
  /** Take over orders another station holds, with the worker's reason (DESIGN §3). */
  takeoverReason?: string;
}

/** A label main's print journal holds, as the hub now sees its number. */
export interface RestoredLabel {
  waybillNo: string;
  orderSn: string;
  at: string;
  printerId: string | null;
  /** The printer took the bytes; false: in doubt. */
  sent: boolean;
  /** The hub has the number returned already. */
  returned: boolean;
  /** Printed offline (its return says so, as the original batch's would have). */
  unverified: boolean;
  /** The courier of its number; null in journal entries written before couriers were recorded. */
  courier: Courier | null;
}

export interface BatchRunnerOptions {
  now?: () => Date;
  stationName?: () => string;
  printerName?: (printerId: string) => string;
}

interface ChunkContext {
  batchId: number;
  batch: BatchRow;
  chain: Promise<void>;
}

const END_STATES: JobItemState[] = ['sent', 'blocked', 'failed', 'cancelled'];
const ALL_STATES: JobItemState[] = ['queued', 'sending', 'sent', 'blocked', 'failed', 'in_doubt', 'cancelled'];

function uuid(): string {
  return crypto.randomUUID();
}

/** How long the list's 已打印 marks gather before one commit writes them (a worker sees no difference). */
const MARK_DELAY_MS = 200;

export class BatchRunner {
  private readonly db: StationDb;
  private readonly client: StationClient;
  private readonly sync: SyncEngine;
  private readonly now: () => Date;
  private readonly stationName: () => string;
  private readonly printerName: (id: string) => string;
  private readonly chunks = new Map<string, ChunkContext>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly running = new Map<number, string | null>();
  private readonly pins = new Map<number, string>();
  private readonly sentTimes = new Map<number, number[]>();
  private readonly listeners = new Set<(p: BatchProgress) => void>();
  private unsub: Array<() => void> = [];
  private marks: Promise<void> = Promise.resolve();
  private markTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly pendingMarks = new Map<string, { waybillNo: string; printedAt: string }>();

  constructor(db: StationDb, client: StationClient, sync: SyncEngine, opts: BatchRunnerOptions = {}) {
    this.db = db;
    this.client = client;
    this.sync = sync;
    this.now = opts.now ?? (() => new Date());
    this.stationName = opts.stationName ?? (() => '');
    this.printerName = opts.printerName ?? ((id) => id);
  }

  /** Subscribes to main's label events and turns labels left `sending` by a crash into `in_doubt`. */
  async attach(): Promise<{ inDoubt: number }> {
    this.unsub.push(this.client.on('labelAnnounced', (a) => this.onAnnounced(a)));
    this.unsub.push(this.client.on('label', (e) => this.onLabel(e)));
    this.unsub.push(
      this.client.on('hubStatus', (s) => {
        if (s.online) void this.resumeOffline();
      }),
    );
    return { inDoubt: await this.recover() };
  }

  detach(): void {
    for (const u of this.unsub) u();
    this.unsub = [];
  }

  onProgress(listener: (p: BatchProgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private iso(): string {
    return this.now().toISOString();
  }

  /** Crash recovery: every label still `sending` is in doubt; batches that were printing are paused. */
  async recover(): Promise<number> {
    return this.db.transaction('rw', this.db.jobItems, this.db.batches, async () => {
      const sending = await this.db.jobItems.where('state').equals('sending').toArray();
      for (const i of sending) await this.db.jobItems.update(i.id!, { state: 'in_doubt', updatedAt: this.iso() });
      const printing = await this.db.batches.where('state').equals('printing').toArray();
      for (const b of printing)
        await this.db.batches.update(b.id!, { state: 'paused', pause: { kind: 'restart', error: null } });
      return sending.length;
    });
  }

  async createBatch(input: NewBatch): Promise<number> {
    const sns = [...new Set(input.orderSns)];
    if (sns.length === 0)
      throw new StationError('invalid_args', { message: '没有选择订单', messageEn: 'No orders selected' });
    let ordered = sns;
    if (input.sortBySku) {
      const rows = await this.db.orders.bulkGet(sns);
      const key = (sn: string, i: number) => {
        const r = rows[i];
        return [r?.skuIds.slice().sort()[0] ?? '\uffff', String(r?.merchantShopId ?? 0).padStart(12, '0'), sn].join(
          '\u0000',
        );
      };
      ordered = sns
        .map((sn, i) => ({ sn, k: key(sn, i) }))
        .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
        .map((x) => x.sn);
    }
    const at = this.iso();
    return this.db.transaction('rw', this.db.batches, this.db.jobItems, async () => {
      const batchId = (await this.db.batches.add({
        name: input.name ?? `批次 ${chinaTime(at)}`,
        kind: 'print',
        createdAt: at,
        printerId: input.printerId,
        courier: input.courier,
        sortBySku: Boolean(input.sortBySku),
        total: ordered.length,
        state: 'ready',
        pause: null,
        takeoverReason: input.takeoverReason ?? null,
        startedAt: null,
        finishedAt: null,
      })) as number;
      await this.db.jobItems.bulkAdd(ordered.map((orderSn, seq) => queuedItem(batchId, seq, orderSn, at)));
      return batchId;
    });
  }

  /** A reprint of a label this station printed: needs a reason (and the PIN when locked). */
  async createReprint(input: { orderSn: string; printerId: string; reason: string }): Promise<number> {
    const reason = input.reason.trim();
    if (!reason)
      throw new StationError('invalid_args', { message: '重打必须填写原因', messageEn: 'A reprint needs a reason' });
    const prepared = await this.db.waybills.get(input.orderSn);
    if (!prepared) {
      throw new StationError('payload_invalid', {
        message: '本打印站没有该订单的面单数据，无法重打',
        messageEn: 'This station has no label data for the order: it cannot reprint it',
      });
    }
    const at = this.iso();
    return this.db.transaction('rw', this.db.batches, this.db.jobItems, async () => {
      const batchId = (await this.db.batches.add({
        name: `重打 ${input.orderSn}`,
        kind: 'reprint',
        createdAt: at,
        printerId: input.printerId,
        courier: prepared.courier,
        sortBySku: false,
        total: 1,
        state: 'ready',
        pause: null,
        takeoverReason: null,
        startedAt: null,
        finishedAt: null,
      })) as number;
      await this.db.jobItems.add({
        ...queuedItem(batchId, 0, input.orderSn, at),
        waybillNo: prepared.waybillNo,
        courier: prepared.courier,
        override: { kind: 'reprint', reason },
      });
      return batchId;
    });
  }

  /**
   * Takes numbers, payloads and claims for the batch's queued orders that have none (100 per call), so
   * that they can print offline later. Refusals block their labels now, with the hub's reason.
   */
  async prepare(batchId: number): Promise<{ issued: number; refused: number }> {
    const batch = await this.mustBatch(batchId);
    const queued = await this.db.jobItems.where('[batchId+state]').equals([batchId, 'queued']).toArray();
    const have = await this.db.waybills.bulkGet(queued.map((i) => i.orderSn));
    const need = queued.filter((i, k) => !have[k] || have[k]!.courier !== batch.courier);
    let issued = 0;
    let refused = 0;
    for (let i = 0; i < need.length; i += MAX_PREPARE_ORDERS) {
      const part = need.slice(i, i + MAX_PREPARE_ORDERS);
      const res = await this.client.api.prepareWaybills({
        orderSns: part.map((p) => p.orderSn),
        courier: batch.courier,
        ...(batch.takeoverReason ? { takeover: { reason: batch.takeoverReason } } : {}),
      });
      const byOrder = new Map(part.map((p) => [p.orderSn, p]));
      const at = this.iso();
      await this.db.transaction('rw', this.db.waybills, this.db.jobItems, async () => {
        for (const r of res.results) {
          const item = byOrder.get(r.orderSn);
          if (!item) continue;
          if (r.status === 'issued') {
            issued++;
            await this.db.waybills.put({
              orderSn: r.orderSn,
              waybillNo: r.waybillNo,
              courier: r.courier,
              envelope: r.envelope,
              preparedAt: at,
            });
          } else {
            refused++;
            const current = await this.db.jobItems.get(item.id!);
            if (current?.state !== 'queued') continue;
            await this.db.jobItems.update(item.id!, {
              state: 'blocked',
              reason: r.reason,
              message: r.claimedBy ? `${r.message}` : r.message,
              claimedBy: r.claimedBy ?? null,
              updatedAt: at,
            });
          }
        }
      });
    }
    await this.emitProgress(batchId);
    return { issued, refused };
  }

  /** Starts (or resumes) printing a batch on its printer's queue. Prepares first while online. */
  start(batchId: number, opts: { pin?: string } = {}): Promise<void> {
    if (opts.pin) this.pins.set(batchId, opts.pin);
    return this.enqueueRun(batchId, true);
  }

  private async enqueueRun(batchId: number, prepareFirst: boolean): Promise<void> {
    const batch = await this.mustBatch(batchId);
    if (batch.state === 'done' || batch.state === 'cancelled') return;
    if (this.running.has(batchId)) return;
    await this.db.batches.update(batchId, { state: 'printing', pause: null, startedAt: batch.startedAt ?? this.iso() });
    this.running.set(batchId, null);
    const prev = this.queues.get(batch.printerId) ?? Promise.resolve();
    const run = prev
      .then(async () => {
        if (prepareFirst && batch.kind === 'print') {
          try {
            await this.prepare(batchId);
          } catch (e) {
            // Offline: print what was prepared before (grace policy), and the rest when the hub is back.
            if (!(e instanceof StationError) || (e.code !== 'hub_unreachable' && e.code !== 'aborted')) throw e;
          }
        }
        await this.run(batchId);
      })
      .catch(async (e: unknown) => {
        const err = e instanceof StationError ? e : new StationError('internal', { detail: String(e) });
        await this.pauseWith(batchId, {
          kind: err.code === 'hub_unreachable' ? 'offline' : 'printer',
          error: err.toBody(),
        });
      })
      .finally(() => {
        this.running.delete(batchId);
        this.pins.delete(batchId);
      });
    this.queues.set(batch.printerId, run);
    return run;
  }

  async pause(batchId: number): Promise<void> {
    await this.pauseWith(batchId, { kind: 'worker', error: null });
    const chunkId = this.running.get(batchId);
    if (chunkId) await this.client.api.abortChunk({ chunkId }).catch(() => undefined);
  }

  resume(batchId: number, opts: { pin?: string } = {}): Promise<void> {
    return this.start(batchId, opts);
  }

  async cancel(batchId: number): Promise<void> {
    const at = this.iso();
    await this.db.transaction('rw', this.db.batches, this.db.jobItems, async () => {
      await this.db.batches.update(batchId, { state: 'cancelled', finishedAt: at });
      await this.db.jobItems
        .where('[batchId+state]')
        .equals([batchId, 'queued'])
        .modify({ state: 'cancelled', updatedAt: at });
    });
    const chunkId = this.running.get(batchId);
    if (chunkId) await this.client.api.abortChunk({ chunkId }).catch(() => undefined);
    await this.emitProgress(batchId);
  }

  /** "Continue from here" after a printer fault: the failed label and everything after it print again. */
  async continueFrom(itemId: number, opts: { pin?: string } = {}): Promise<void> {
    const item = await this.db.jobItems.get(itemId);
    if (!item) throw new StationError('invalid_args', { detail: `no item ${itemId}` });
    if (item.state === 'failed')
      await this.db.jobItems.update(itemId, { state: 'queued', error: null, updatedAt: this.iso() });
    await this.start(item.batchId, opts);
  }

  /**
   * Rebuilds, in a store that was lost, what it knew of labels main's print journal says were printed:
   * a batch per courier in which each label the printer took is `sent` (its return queued unless the hub
   * has it already, and its print log row written) and a label main never heard back from is `in_doubt`,
   * for the worker to answer as after any crash. The store stops waiting for the journal in the same
   * commit, so a crash can neither lose these returns nor queue them twice.
   */
  async restoreFromJournal(labels: RestoredLabel[], defaultCourier: Courier): Promise<number[]> {
    const at = this.iso();
    const groups = new Map<Courier, RestoredLabel[]>();
    for (const l of labels) {
      const c = l.courier ?? defaultCourier;
      groups.set(c, [...(groups.get(c) ?? []), l]);
    }
    const printed: Array<{ item: JobItemRow; sent: { waybillNo: string; printedAt: string } }> = [];
    const batchIds = await this.db.transaction(
      'rw',
      [this.db.batches, this.db.jobItems, this.db.outbox, this.db.meta, this.db.printLog],
      async () => {
        const ids: number[] = [];
        let mutationId = await nextMutationId(this.db);
        for (const [courier, group] of groups) {
          const inDoubt = group.filter((l) => !l.sent).length;
          const counts = new Map<string, number>();
          for (const l of group) if (l.printerId) counts.set(l.printerId, (counts.get(l.printerId) ?? 0) + 1);
          const batch: BatchRow = {
            name: `恢复的打印记录 ${chinaTime(at)}${groups.size > 1 ? ` ${COURIER_NAMES[courier]}` : ''}`,
            kind: 'print',
            createdAt: at,
            printerId: [...counts].sort((x, y) => y[1] - x[1])[0]?.[0] ?? '',
            courier,
            sortBySku: false,
            total: group.length,
            state: inDoubt > 0 ? 'paused' : 'done',
            pause: inDoubt > 0 ? { kind: 'restart', error: null } : null,
            takeoverReason: null,
            startedAt: at,
            finishedAt: inDoubt > 0 ? null : at,
          };
          batch.id = (await this.db.batches.add(batch)) as number;
          ids.push(batch.id);
          for (const [seq, l] of group.entries()) {
            const item: JobItemRow = {
              ...queuedItem(batch.id, seq, l.orderSn, l.at),
              state: l.sent ? 'sent' : 'in_doubt',
              waybillNo: l.waybillNo,
              courier,
              printedAt: l.sent ? l.at : null,
              unverified: l.unverified,
            };
            const sent = { waybillNo: l.waybillNo, printedAt: l.at, unverified: l.unverified };
            if (!l.sent) {
              await this.db.jobItems.add(item);
            } else if (l.returned) {
              await this.db.jobItems.add(item);
              await this.db.printLog.add({ ...this.logRow(batch, item, sent, 'print'), returnState: 'returned' });
            } else {
              await Promise.all(this.sentWrites(batch, item, sent, 'print', mutationId++, at));
              printed.push({ item, sent });
            }
          }
        }
        await this.db.meta.delete(META.journalPending);
        return ids;
      },
    );
    for (const p of printed) this.markPrinted(p.item, p.sent);
    if (printed.length > 0) this.sync.kick();
    return batchIds;
  }

  /** A worker's answer for a label left in doubt by a crash. */
  async resolveInDoubt(itemId: number, decision: 'printed' | 'not_printed'): Promise<void> {
    const at = this.iso();
    let confirmed: { item: JobItemRow; sent: { waybillNo: string; printedAt: string } } | null = null;
    let answered: JobItemRow | null = null;
    await this.db.transaction(
      'rw',
      [this.db.jobItems, this.db.batches, this.db.outbox, this.db.meta, this.db.printLog, this.db.orders],
      async () => {
        const item = await this.db.jobItems.get(itemId);
        if (!item || item.state !== 'in_doubt') {
          throw new StationError('invalid_args', {
            message: '该面单不在待确认状态',
            messageEn: 'This label is not in doubt',
          });
        }
        answered = item;
        if (decision === 'not_printed') {
          await this.db.jobItems.update(itemId, {
            state: 'queued',
            override: item.override?.kind === 'reprint' ? item.override : { kind: 'in_doubt_not_printed' },
            updatedAt: at,
          });
          return;
        }
        const batch = await this.db.batches.get(item.batchId);
        const sent = { waybillNo: item.waybillNo!, printedAt: item.updatedAt, unverified: item.unverified };
        await Promise.all(this.sentWrites(batch!, item, sent, 'in_doubt_confirmed', await nextMutationId(this.db), at));
        confirmed = { item, sent };
      },
    );
    if (confirmed) {
      const c: { item: JobItemRow; sent: { waybillNo: string; printedAt: string } } = confirmed;
      this.markPrinted(c.item, c.sent);
    }
    const waybillNo = (answered as JobItemRow | null)?.waybillNo;
    if (waybillNo) {
      // Main's journal keeps the answer too; if main cannot be told now, a lost store would only ask again.
      await this.client.api.settleInDoubt({ waybillNo, printed: decision === 'printed' }).catch(() => undefined);
    }
    this.sync.kick();
    const item = await this.db.jobItems.get(itemId);
    if (item) await this.emitProgress(item.batchId);
  }

  async progress(batchId: number): Promise<BatchProgress> {
    const batch = await this.mustBatch(batchId);
    const counts = Object.fromEntries(ALL_STATES.map((s) => [s, 0])) as Record<JobItemState, number>;
    await Promise.all(
      ALL_STATES.map(async (s) => {
        counts[s] = await this.db.jobItems.where('[batchId+state]').equals([batchId, s]).count();
      }),
    );
    const done = END_STATES.reduce((n, s) => n + counts[s], 0);
    const times = this.sentTimes.get(batchId) ?? [];
    const t = Date.now();
    const recent = times.filter((x) => t - x <= 10_000);
    const span = recent.length > 1 ? (recent[recent.length - 1]! - recent[0]!) / 1000 : 0;
    const rate = span > 0 ? (recent.length - 1) / span : 0;
    const left = batch.total - done;
    return { batchId, total: batch.total, counts, done, rate, etaSeconds: rate > 0 ? left / rate : null };
  }

  private async emitProgress(batchId: number) {
    if (this.listeners.size === 0) return;
    const p = await this.progress(batchId);
    for (const l of this.listeners) l(p);
  }

  private async mustBatch(batchId: number): Promise<BatchRow> {
    const b = await this.db.batches.get(batchId);
    if (!b)
      throw new StationError('invalid_args', {
        message: '批次不存在',
        messageEn: 'No such batch',
        detail: String(batchId),
      });
    return b;
  }

  private async pauseWith(batchId: number, pause: NonNullable<BatchRow['pause']>) {
    await this.flushMarks();
    await this.db.transaction('rw', this.db.batches, async () => {
      const b = await this.db.batches.get(batchId);
      if (b && (b.state === 'printing' || b.state === 'ready'))
        await this.db.batches.update(batchId, { state: 'paused', pause });
    });
    await this.emitProgress(batchId);
  }

  /** Batches paused because the hub was away start again when it is back. */
  private async resumeOffline() {
    const paused = await this.db.batches.where('state').equals('paused').toArray();
    for (const b of paused) if (b.pause?.kind === 'offline') void this.enqueueRun(b.id!, true);
  }

  private async run(batchId: number): Promise<void> {
    const skipped = new Set<number>();
    let fromSeq = 0;
    for (;;) {
      const batch = await this.mustBatch(batchId);
      if (batch.state !== 'printing') return;
      const next = await this.db.jobItems
        .where('[batchId+seq]')
        .between([batchId, fromSeq], [batchId, Number.MAX_SAFE_INTEGER])
        .filter((i) => i.state === 'queued' && !skipped.has(i.id!))
        .limit(MAX_CHUNK_LABELS)
        .toArray();
      if (next.length === 0) {
        if (skipped.size > 0) {
          await this.pauseWith(batchId, {
            kind: 'offline',
            error: new StationError('hub_unreachable', {
              message: `平台离线：还有 ${skipped.size} 张面单需联网后打印`,
              messageEn: `Hub offline: ${skipped.size} labels wait for the hub`,
            }).toBody(),
          });
        } else {
          await this.flushMarks();
          await this.db.transaction('rw', this.db.batches, async () => {
            const b = await this.db.batches.get(batchId);
            if (b?.state === 'printing')
              await this.db.batches.update(batchId, { state: 'done', finishedAt: this.iso() });
          });
          await this.emitProgress(batchId);
        }
        return;
      }
      const result = await this.printChunk(batch, next);
      if (result.stopped) {
        // A worker's pause or cancel stops the chunk too; anything else is the printer's fault.
        await this.pauseWith(batchId, { kind: 'printer', error: result.stopped });
        return;
      }
      for (const o of result.outcomes) if (o.state === 'deferred') skipped.add(o.itemId);
      if (!result.online && result.outcomes.every((o) => o.state === 'deferred' && o.reason === 'offline')) {
        await this.pauseWith(batchId, {
          kind: 'offline',
          error: new StationError('hub_unreachable', {
            message: '平台离线，离线策略为“不打印”：联网后自动继续',
            messageEn: 'Hub offline and the offline policy is “block”: printing resumes when it is back',
          }).toBody(),
        });
        return;
      }
      fromSeq = next[next.length - 1]!.seq + 1;
    }
  }

  private async printChunk(batch: BatchRow, items: JobItemRow[]) {
    const batchId = batch.id!;
    const [prepared, orders, freshness] = await Promise.all([
      this.db.waybills.bulkGet(items.map((i) => i.orderSn)),
      this.db.orders.bulkGet(items.map((i) => i.orderSn)),
      this.db.meta.get(META.freshness),
    ]);
    const printItems: PrintItem[] = items.map((item, k) => {
      const w = prepared[k];
      const o = orders[k];
      return {
        itemId: item.id!,
        orderSn: item.orderSn,
        ...(w && w.courier === batch.courier ? { prepared: { waybillNo: w.waybillNo, envelope: w.envelope } } : {}),
        ...(w && batch.kind === 'reprint' ? { prepared: { waybillNo: w.waybillNo, envelope: w.envelope } } : {}),
        ...(o
          ? {
              snapshot: {
                orderSn: o.orderSn,
                version: o.version,
                printable: o.printable === 1,
                reason: o.reason,
                addressVersion: o.addressVersion,
                claimStationId: o.claim?.stationId ?? null,
                seal: o.seal,
              },
            }
          : {}),
        ...(item.override ? { override: item.override } : {}),
      };
    });
    const chunkId = uuid();
    const ctx: ChunkContext = { batchId, batch, chain: Promise.resolve() };
    this.chunks.set(chunkId, ctx);
    this.running.set(batchId, chunkId);
    const pin = this.pins.get(batchId);
    try {
      const result = await this.client.api.printChunk({
        chunkId,
        printerId: batch.printerId,
        courier: batch.courier,
        items: printItems,
        ...(batch.takeoverReason ? { takeover: { reason: batch.takeoverReason } } : {}),
        ...(freshness ? { freshness: freshness.value as Freshness } : {}),
        ...(pin ? { pin } : {}),
      });
      await ctx.chain;
      // main's answer is the truth. A label it reports sent whose event this window did not apply is
      // committed now; a label it reports as not tried was not written, even if this window had already
      // committed `sending` for it (a pause raced with its acknowledgement).
      for (const o of result.outcomes) {
        if (o.state !== 'sent') continue;
        const it = await this.db.jobItems.get(o.itemId);
        if (it?.state === 'sending') await this.applyOutcome(ctx, { chunkId, outcome: o });
      }
      const untried = result.outcomes.filter((o) => o.state === 'deferred').map((o) => o.itemId);
      if (untried.length > 0) {
        await this.db.transaction('rw', this.db.jobItems, async () => {
          for (const it of await this.db.jobItems.bulkGet(untried)) {
            if (it?.state === 'sending')
              await this.db.jobItems.update(it.id!, { state: 'queued', updatedAt: this.iso() });
          }
        });
      }
      return result;
    } catch (e) {
      await ctx.chain.catch(() => undefined);
      // main went away mid-chunk (or refused it): a label it announced may or may not have printed.
      await this.markInDoubt(items.map((i) => i.id!));
      throw e;
    } finally {
      this.chunks.delete(chunkId);
      if (this.running.get(batchId) === chunkId) this.running.set(batchId, null);
      await this.emitProgress(batchId);
    }
  }

  private async markInDoubt(itemIds: number[]) {
    await this.db.transaction('rw', this.db.jobItems, async () => {
      for (const id of itemIds) {
        const i = await this.db.jobItems.get(id);
        if (i?.state === 'sending') await this.db.jobItems.update(id, { state: 'in_doubt', updatedAt: this.iso() });
      }
    });
  }

  /** Whether an announced label may go: it must be this chunk's, and still queued (not cancelled meanwhile). */
  private mayPrint(ctx: ChunkContext, item: JobItemRow | undefined): item is JobItemRow {
    return item !== undefined && item.batchId === ctx.batchId && item.state === 'queued';
  }

  /** Phase one of a label, inside the caller's transaction: `sending`, with the payload it prints from. */
  private sendingWrites(item: JobItemRow, a: LabelAnnounced, at: string): Array<Promise<unknown>> {
    return [
      this.db.jobItems.put({
        ...item,
        state: 'sending',
        waybillNo: a.waybillNo,
        courier: a.courier,
        unverified: a.unverified,
        updatedAt: at,
      }),
      this.db.waybills.put({
        orderSn: a.orderSn,
        waybillNo: a.waybillNo,
        courier: a.courier,
        envelope: a.envelope,
        preparedAt: at,
      }),
    ];
  }

  /** Only with `sending` on disk may main write the label; a label we cannot take stops the chunk. */
  private async answer(a: LabelAnnounced, ok: boolean) {
    if (!ok) {
      await this.client.api.abortChunk({ chunkId: a.chunkId });
      return;
    }
    try {
      await this.client.api.ackLabel({ chunkId: a.chunkId, itemId: a.itemId });
    } catch (e) {
      // main says no label is waiting (the chunk was stopped first): it will not write this one, so it goes
      // back to the queue. Any other failure (the connection) leaves it `sending`: in doubt, for a worker.
      if (e instanceof StationError && e.code === 'invalid_args') {
        await this.db.transaction('rw', this.db.jobItems, async () => {
          const it = await this.db.jobItems.get(a.itemId);
          if (it?.state === 'sending')
            await this.db.jobItems.update(a.itemId, { state: 'queued', updatedAt: this.iso() });
        });
      } else {
        throw e;
      }
    }
  }

  private onAnnounced(a: LabelAnnounced) {
    const ctx = this.chunks.get(a.chunkId);
    if (!ctx) return; // not ours (another window's chunk) or already over: never ack
    ctx.chain = ctx.chain.then(async () => {
      const ok = await this.db.transaction('rw', this.db.jobItems, this.db.waybills, async () => {
        const item = await this.db.jobItems.get(a.itemId);
        if (!this.mayPrint(ctx, item)) return false;
        await Promise.all(this.sendingWrites(item, a, this.iso()));
        return true;
      });
      await this.answer(a, ok);
    });
    ctx.chain = ctx.chain.catch((err) => this.chainFailed(err));
  }

  /** A label event this window could not apply: the chunk's end decides (in doubt if main went away). */
  private chainFailed(err: unknown) {
    console.error('station: a label event could not be applied', err);
  }

  private onLabel(e: LabelEvent) {
    const ctx = this.chunks.get(e.chunkId);
    if (!ctx) return;
    ctx.chain = ctx.chain.then(() => this.applyOutcome(ctx, e)).catch((err) => this.chainFailed(err));
  }

  private async applyOutcome(ctx: ChunkContext, e: LabelEvent) {
    const o = e.outcome;
    const at = this.iso();
    if (o.state === 'deferred') return;
    if (o.state === 'sent') {
      // This label's `sent` (with its return queued) and the next label's `sending`: one durable commit,
      // its reads issued together and then its writes, so the label waits for one flush, not a dozen trips.
      const next = e.next;
      let marked: JobItemRow | null = null;
      const ok = await this.db.transaction(
        'rw',
        [this.db.jobItems, this.db.outbox, this.db.meta, this.db.printLog, this.db.waybills],
        async () => {
          const [[item, nextItem], firstId] = await Promise.all([
            this.db.jobItems.bulkGet(next ? [o.itemId, next.itemId] : [o.itemId]),
            nextMutationId(this.db),
          ]);
          const writes: Array<Promise<unknown>> = [];
          if (item?.state === 'sending') {
            writes.push(
              ...this.sentWrites(ctx.batch, item, o, ctx.batch.kind === 'reprint' ? 'reprint' : 'print', firstId, at),
            );
            marked = item;
          }
          const go = next !== undefined && this.mayPrint(ctx, nextItem);
          if (go) writes.push(...this.sendingWrites(nextItem!, next, at));
          await Promise.all(writes);
          return go;
        },
      );
      if (next) await this.answer(next, ok);
      if (marked) this.markPrinted(marked, o);
      const times = this.sentTimes.get(ctx.batchId) ?? [];
      times.push(Date.now());
      if (times.length > 200) times.splice(0, times.length - 200);
      this.sentTimes.set(ctx.batchId, times);
      this.sync.kick();
      return;
    }
    const patch: Partial<JobItemRow> =
      o.state === 'blocked'
        ? { state: 'blocked', reason: o.reason, message: o.message, claimedBy: o.claimedBy ?? null, updatedAt: at }
        : { state: 'failed', error: o.error as StationErrorBody, updatedAt: at };
    await this.db.transaction('rw', this.db.jobItems, async () => {
      const item = await this.db.jobItems.get(o.itemId);
      if (!item || (item.state !== 'queued' && item.state !== 'sending')) return;
      await this.db.jobItems.update(o.itemId, patch);
    });
  }

  /**
   * `sent`, the return in the outbox and the print log, written inside the caller's transaction (which
   * includes jobItems, outbox, meta and printLog), with the mutation id read there.
   */
  private sentWrites(
    batch: BatchRow,
    item: JobItemRow,
    sent: { waybillNo: string; printedAt: string; unverified: boolean },
    kind: 'print' | 'reprint' | 'in_doubt_confirmed',
    firstMutationId: number,
    at: string,
  ): Array<Promise<unknown>> {
    const reprint = item.override?.kind === 'reprint' ? item.override : null;
    return [
      this.db.jobItems.put({
        ...item,
        state: 'sent',
        waybillNo: sent.waybillNo,
        printedAt: sent.printedAt,
        unverified: sent.unverified,
        updatedAt: at,
      }),
      enqueueFrom(
        this.db,
        firstMutationId,
        [
          reprint
            ? {
                type: 'label_reprinted',
                orderSn: item.orderSn,
                waybillNo: sent.waybillNo,
                reason: reprint.reason,
                printedAt: sent.printedAt,
              }
            : {
                type: 'waybill_returned',
                orderSn: item.orderSn,
                waybillNo: sent.waybillNo,
                printedAt: sent.printedAt,
                ...(sent.unverified ? { unverified: true } : {}),
              },
        ],
        at,
      ),
      this.db.printLog.add(this.logRow(batch, item, sent, kind)),
    ];
  }

  private logRow(
    batch: BatchRow,
    item: JobItemRow,
    sent: { waybillNo: string; printedAt: string; unverified: boolean },
    kind: 'print' | 'reprint' | 'in_doubt_confirmed',
  ): PrintLogRow {
    const reprint = item.override?.kind === 'reprint' ? item.override : null;
    return {
      at: sent.printedAt,
      orderSn: item.orderSn,
      waybillNo: sent.waybillNo,
      courier: item.courier ?? batch.courier,
      printerId: batch.printerId,
      printerName: this.printerName(batch.printerId),
      stationName: this.stationName(),
      batchId: batch.id!,
      kind: reprint ? 'reprint' : kind,
      reason: reprint?.reason ?? null,
      unverified: sent.unverified,
      returnState: reprint ? 'none' : 'pending',
      returnMessage: null,
    };
  }

  /**
   * The order list's "已打印" mark with the number: a view of the print log, not a safety record, so it
   * is written after the label's own commit and off its critical path. The marks of MARK_DELAY_MS go
   * together in one commit: a commit per label here would compete with the labels' own commits (both
   * write `meta`) and cost a quarter of the batch's speed. A mark lost in a crash only leaves the order
   * unmarked until the hub's feed brings it back as returned.
   */
  private markPrinted(item: JobItemRow, sent: { waybillNo: string; printedAt: string }) {
    if (item.override?.kind === 'reprint') return;
    this.pendingMarks.set(item.orderSn, sent);
    this.markTimer ??= setTimeout(() => void this.flushMarks(), MARK_DELAY_MS);
  }

  /** Writes the gathered marks now: a batch that ends or pauses waits for them, so its orders show as printed. */
  private flushMarks(): Promise<void> {
    if (this.markTimer) clearTimeout(this.markTimer);
    this.markTimer = null;
    this.marks = this.marks.then(async () => {
      if (this.pendingMarks.size === 0) return;
      const marks = [...this.pendingMarks];
      this.pendingMarks.clear();
      await this.db
        .transaction('rw', this.db.orders, this.db.meta, async () => {
          const found = await this.db.orders.bulkGet(marks.map(([sn]) => sn));
          const rows = marks.flatMap(([, m], k) => (found[k] ? [{ order: found[k], m }] : []));
          if (rows.length === 0) return;
          const first = await nextOrderSeqs(this.db, rows.length);
          await this.db.orders.bulkPut(
            rows.map(({ order, m }, k) => {
              const next = {
                ...order,
                seq: first + k,
                printedAt: m.printedAt,
                waybillNo: m.waybillNo,
                waybillStatus: order.waybillStatus === 'returned' ? ('returned' as const) : ('issued' as const),
              };
              return { ...next, view: viewOf(next) };
            }),
          );
        })
        .catch(() => undefined);
    });
    return this.marks;
  }
}

/** A batch's label before anything has happened to it. */
function queuedItem(batchId: number, seq: number, orderSn: string, at: string): JobItemRow {
  return {
    batchId,
    seq,
    orderSn,
    state: 'queued',
    waybillNo: null,
    courier: null,
    reason: null,
    message: null,
    claimedBy: null,
    error: null,
    unverified: false,
    printedAt: null,
    override: null,
    updatedAt: at,
  };
}
