/**
 * The one print path in main (DESIGN.md §1, §5, §7). For a chunk of at most 20 labels:
 *  1. the guard asks the hub about the whole chunk in one `check` round trip (offline: the policy
 *     decides, from snapshots main itself sealed);
 *  2. orders without a usable prepared number get one (one `waybills` call, which also takes the claims);
 *  3. each label is opened (payload bound to its order and number, address version compared with the
 *     hub's), rendered, *announced*, and written only after the renderer has durably committed `sending`
 *     and acked; one event per label follows (sent | failed).
 * The print journal refuses a number already written unless the worker explicitly asked for it.
 * Nothing reaches a transport except through this function.
 */
import { openPrintPayload, type PrintPayload } from '../../shared/api/print-payload.ts';
import { ENDPOINTS } from '../../shared/api/endpoints.ts';
import type { CheckResult } from '../../shared/api/stations.ts';
import { blockReasonText, chinaIsoWithOffset, widestWaybillNo, type BlockReason } from '../../shared/domain/index.ts';
import {
  STATION_BLOCK_REASONS,
  StationError,
  type DeferredReason,
  type LabelAnnounced,
  type LabelBlockReason,
  type LabelOutcome,
  type OfflinePolicy,
  type PrintChunkArgs,
  type PrintChunkResult,
  type PrintItem,
} from '../../shared/ipc/index.ts';
import { SAMPLE_LABEL } from '../../shared/label/index.ts';
import type { HubLink } from './hub-link.ts';
import { labelDataFromPayload } from './label-data.ts';
import { labelFailure } from './label-failure.ts';
import type { JournalRecord, PrintJournal } from './print-journal.ts';
import type { LabelReport } from '../print/backend.ts';
import type { PrinterPool } from './printers.ts';
import { verifyFreshness, verifySnapshot } from './seals.ts';

export interface ChunkDeps {
  hub: HubLink;
  printers: PrinterPool;
  journal: PrintJournal;
  stationId: number;
  payloadKey: string;
  sealKey: Buffer;
  offlinePolicy: OfflinePolicy;
  /** Whether reprints need the PIN, and a check of it. */
  reprintLocked: boolean;
  verifyPin: (pin: string) => Promise<boolean>;
  now: () => Date;
}

/** How main talks to the renderer that asked for this chunk. */
export interface ChunkChannel {
  /** Announces a label and resolves once the renderer has committed `sending` and acked. */
  announce(a: LabelAnnounced): Promise<void>;
  emit(outcome: LabelOutcome): void;
  /** Reports a label sent and announces the next one in the same event; resolves when the next is acked. */
  emitWithNext(outcome: LabelOutcome, next: LabelAnnounced): Promise<void>;
  /** True once the renderer asked to stop, or went away. */
  aborted(): boolean;
}

interface Ready {
  item: PrintItem;
  waybillNo: string;
  envelope: string;
  /** The address version the label must carry (the hub's now, or the sealed snapshot's offline). */
  addressVersion: number;
  unverified: boolean;
}

/** A label ready to go: payload opened and checked, bytes rendered, its announcement built. */
interface Labelled {
  r: Ready;
  bytes: Uint8Array;
  report: LabelReport | null;
  printedAt: string;
  announcement: LabelAnnounced;
}

function blocked(
  item: PrintItem,
  reason: LabelBlockReason,
  claimedBy?: { stationId: number; name: string },
): LabelOutcome {
  const message =
    reason === 'already_printed'
      ? STATION_BLOCK_REASONS.already_printed.zh
      : reason === 'printing_elsewhere' && claimedBy
        ? `${blockReasonText(reason)}（${claimedBy.name}）`
        : blockReasonText(reason);
  return {
    itemId: item.itemId,
    orderSn: item.orderSn,
    state: 'blocked',
    reason,
    message,
    ...(claimedBy ? { claimedBy } : {}),
  };
}

function deferred(item: PrintItem, reason: DeferredReason): LabelOutcome {
  return { itemId: item.itemId, orderSn: item.orderSn, state: 'deferred', reason };
}

function failed(item: PrintItem, e: StationError): LabelOutcome {
  return { itemId: item.itemId, orderSn: item.orderSn, state: 'failed', error: e.toBody() };
}

export async function printChunk(
  deps: ChunkDeps,
  args: PrintChunkArgs,
  channel: ChunkChannel,
): Promise<PrintChunkResult> {
  const items = args.items;
  const sns = items.map((i) => i.orderSn);
  if (new Set(sns).size !== sns.length) {
    throw new StationError('invalid_args', {
      message: '同一批次中订单重复',
      messageEn: 'An order appears twice in the chunk',
    });
  }
  const printer = await deps.printers.open(args.printerId);
  // A calibration that pushes the codes off this template, or a courier whose numbers are too long for a
  // barcode that scans on it, fails every label: find out before the hub issues (and the courier spends)
  // tracking numbers that could not be printed. The probe carries the courier's widest number.
  const widest = widestWaybillNo(args.courier);
  try {
    await printer.backend.render([{ ...SAMPLE_LABEL, waybillNo: widest, qrPayload: widest }], printer.options);
  } catch (e) {
    throw labelFailure(e);
  }
  if (items.some((i) => i.override?.kind === 'reprint') && deps.reprintLocked) {
    if (!args.pin) throw new StationError('pin_required');
    if (!(await deps.verifyPin(args.pin))) throw new StationError('pin_wrong');
  }

  const outcomes = new Map<number, LabelOutcome>();
  const settle = (o: LabelOutcome) => {
    outcomes.set(o.itemId, o);
    channel.emit(o);
  };

  // 1. The guard.
  let checks: Map<string, CheckResult> | null = null;
  try {
    const res = await deps.hub.call(ENDPOINTS.check, { body: { orderSns: sns } }, { idempotent: true });
    checks = new Map(res.results.map((c) => [c.orderSn, c]));
  } catch (e) {
    if (!(e instanceof StationError) || e.code !== 'hub_unreachable') throw e;
  }
  const online = checks !== null;

  const ready: Ready[] = [];
  const needNumber: PrintItem[] = [];
  for (const item of items) {
    const reprint = item.override?.kind === 'reprint';
    if (checks) {
      const c = checks.get(item.orderSn);
      if (!c) {
        settle(blocked(item, 'not_allocated'));
        continue;
      }
      const claimedBy =
        c.claim && c.claim.stationId !== deps.stationId
          ? { stationId: c.claim.stationId, name: c.claim.stationName }
          : undefined;
      const allowed =
        c.printable ||
        (reprint && c.reason === 'waybill_returned') ||
        // A number made stale by an address change is replaced: the new label carries the new address.
        (!reprint && c.reason === 'address_changed') ||
        (!reprint && c.reason === 'printing_elsewhere' && args.takeover !== undefined);
      if (!allowed) {
        settle(blocked(item, (c.reason ?? 'not_allocated') as BlockReason, claimedBy));
        continue;
      }
      const ours = c.claim?.stationId === deps.stationId;
      if (item.prepared && (ours || reprint) && c.reason !== 'address_changed') {
        ready.push({ item, ...item.prepared, addressVersion: c.addressVersion, unverified: false });
      } else if (reprint) {
        // A reprint prints the number that was returned: without its payload there is nothing to reprint.
        settle(failed(item, new StationError('payload_invalid', { detail: 'reprint without the printed payload' })));
      } else {
        needNumber.push(item);
      }
      continue;
    }
    // Offline (DESIGN §5): only prepared orders, sealed as normal by main within the grace period.
    const policy = deps.offlinePolicy;
    if (policy.mode === 'block') {
      settle(deferred(item, 'offline'));
      continue;
    }
    if (!item.prepared || !item.snapshot) {
      settle(deferred(item, 'not_prepared'));
      continue;
    }
    const f = args.freshness;
    const snap = item.snapshot;
    if (
      !f ||
      !verifyFreshness(deps.sealKey, f) ||
      snap.orderSn !== item.orderSn ||
      !verifySnapshot(deps.sealKey, snap)
    ) {
      settle(
        failed(
          item,
          new StationError('payload_invalid', {
            message: '离线打印所需的订单快照校验失败，请联网后再打印',
            messageEn: 'The offline snapshot failed its check: print when back online',
          }),
        ),
      );
      continue;
    }
    if (deps.now().getTime() - Date.parse(f.at) > policy.minutes * 60_000) {
      settle(deferred(item, 'offline_stale'));
      continue;
    }
    const okReprint = reprint && snap.reason === 'waybill_returned';
    if (!snap.printable && !okReprint) {
      settle(blocked(item, (snap.reason ?? 'not_allocated') as BlockReason));
      continue;
    }
    if (snap.claimStationId !== null && snap.claimStationId !== deps.stationId) {
      settle(blocked(item, 'printing_elsewhere'));
      continue;
    }
    ready.push({ item, ...item.prepared, addressVersion: snap.addressVersion, unverified: true });
  }

  // 2. Numbers (and claims) for the orders that need one.
  if (needNumber.length > 0) {
    try {
      const res = await deps.hub.call(
        ENDPOINTS.issueWaybills,
        {
          body: {
            orderSns: needNumber.map((i) => i.orderSn),
            courier: args.courier,
            ...(args.takeover ? { takeover: args.takeover } : {}),
          },
        },
        { idempotent: true },
      );
      const bySn = new Map(res.results.map((r) => [r.orderSn, r]));
      for (const item of needNumber) {
        const r = bySn.get(item.orderSn);
        if (!r) settle(blocked(item, 'not_allocated'));
        else if (r.status === 'refused') settle(blocked(item, r.reason, r.claimedBy));
        else
          ready.push({
            item,
            waybillNo: r.waybillNo,
            envelope: r.printPayload,
            addressVersion: r.addressVersion,
            unverified: false,
          });
      }
    } catch (e) {
      if (!(e instanceof StationError) || e.code !== 'hub_unreachable') throw e;
      for (const item of needNumber) settle(deferred(item, 'offline'));
    }
  }

  // 3. Print, in the chunk's order, one label at a time.
  ready.sort((a, b) => items.indexOf(a.item) - items.indexOf(b.item));
  const seen = new Set<string>();
  let stopped: StationError | undefined;
  let first = true;
  const prepare = async (r: Ready): Promise<Labelled | null> => {
    const { item } = r;
    const override = item.override?.kind;
    if (seen.has(r.waybillNo) || (deps.journal.has(r.waybillNo) && override === undefined)) {
      settle(blocked(item, 'already_printed'));
      return null;
    }
    seen.add(r.waybillNo);
    const printedAt = chinaIsoWithOffset(deps.now());
    try {
      const payload = await openPayload(deps.payloadKey, r);
      if (payload.addressVersion !== r.addressVersion) {
        settle(blocked(item, 'address_changed'));
        return null;
      }
      const rendered = await printer.backend.render([labelDataFromPayload(payload, printedAt)], printer.options);
      return {
        r,
        bytes: rendered.bytes,
        report: rendered.reports[0] ?? null,
        printedAt,
        announcement: {
          chunkId: args.chunkId,
          itemId: item.itemId,
          orderSn: item.orderSn,
          waybillNo: r.waybillNo,
          courier: payload.courier,
          envelope: r.envelope,
          unverified: r.unverified,
        },
      };
    } catch (e) {
      settle(failed(item, labelFailure(e)));
      return null;
    }
  };
  let next = 0;
  /** The next label that can go, rendered one ahead while the previous one is on its way. */
  const nextLabel = async (): Promise<Labelled | null> => {
    while (next < ready.length && !stopped && !channel.aborted()) {
      const l = await prepare(ready[next++]!);
      if (l) return l;
    }
    return null;
  };
  const journalRecord = (l: Labelled): JournalRecord => ({
    waybillNo: l.r.waybillNo,
    orderSn: l.r.item.orderSn,
    at: l.printedAt,
    printerId: args.printerId,
    courier: l.announcement.courier,
    unverified: l.r.unverified,
  });
  const announced = (e: unknown) => {
    // The renderer went away or never acked: it holds no `sending` for this label, so nothing is in doubt.
    stopped = e instanceof StationError ? e : new StationError('aborted');
  };

  let current = await nextLabel();
  if (current) {
    try {
      await channel.announce(current.announcement);
    } catch (e) {
      announced(e);
      settle(deferred(current.r.item, 'stopped'));
      current = null;
    }
  }
  let journaled = false;
  let prefetched: Promise<Labelled | null> | null = null;
  while (current) {
    const { r, bytes, report, printedAt } = current;
    try {
      if (!journaled) await deps.journal.record(journalRecord(current));
      journaled = false;
      try {
        await deps.printers.send(printer, bytes, first);
      } catch (e) {
        // The printer refused or lost the job: the worker resumes from this label, so it must not count as printed.
        await deps.journal.void(r.waybillNo);
        throw e;
      }
      // Lets a station whose renderer store was lost tell its printed labels from the one in doubt.
      deps.journal.markSent(r.waybillNo).catch(() => undefined);
      first = false;
    } catch (e) {
      const err = e instanceof StationError ? e : new StationError('internal', { detail: (e as Error).message });
      settle(failed(r.item, err));
      stopped = err;
      break;
    }
    const sent: LabelOutcome = {
      itemId: r.item.itemId,
      orderSn: r.item.orderSn,
      state: 'sent',
      waybillNo: r.waybillNo,
      printedAt,
      unverified: r.unverified,
      report,
    };
    const following = await (prefetched ?? nextLabel());
    prefetched = null;
    if (!following) {
      settle(sent);
      break;
    }
    // `sent` for this label and `sending` for the next travel together, so the renderer makes both
    // durable in one commit: after a crash either both hold or neither, and still at most one label is
    // in doubt.
    outcomes.set(sent.itemId, sent);
    // The next number goes into the journal while the renderer commits (both must hold before its bytes).
    const journal = deps.journal.record(journalRecord(following));
    const acked = Promise.all([channel.emitWithNext(sent, following.announcement), journal]);
    // Render the label after next while the renderer commits: it is CPU work that would otherwise wait.
    prefetched = nextLabel();
    try {
      await acked;
      journaled = true;
      current = following;
    } catch (e) {
      // Not acked: nothing of that label was written, so its number must not count as printed.
      await journal.then(() => deps.journal.void(following.r.waybillNo)).catch(() => undefined);
      announced(e);
      settle(deferred(following.r.item, 'stopped'));
      current = null;
    }
  }
  await prefetched;
  for (const r of ready) if (!outcomes.has(r.item.itemId)) settle(deferred(r.item, 'stopped'));

  return {
    outcomes: items.map((i) => outcomes.get(i.itemId) ?? deferred(i, 'stopped')),
    online,
    ...(stopped ? { stopped: stopped.toBody() } : {}),
  };
}

async function openPayload(key: string, r: Ready): Promise<PrintPayload> {
  let payload: PrintPayload;
  try {
    payload = await openPrintPayload(key, r.envelope);
  } catch (e) {
    throw new StationError('payload_invalid', { detail: (e as Error).message });
  }
  // The envelope's additional data is the same for every payload: bind it to its order and number here.
  if (payload.orderSn !== r.item.orderSn || payload.waybillNo !== r.waybillNo) {
    throw new StationError('payload_invalid', {
      detail: `payload for ${payload.orderSn}/${payload.waybillNo}, expected ${r.item.orderSn}/${r.waybillNo}`,
    });
  }
  return payload;
}
