/**
 * One print chunk at the station (DESIGN.md §1, §5): the guard asks the hub about the whole chunk in
 * one round trip, only printable orders get a waybill, each payload is opened here in main and its
 * address version compared with the hub's, and each label is rendered and sent on its own, with one
 * event per label. Nothing reaches the transport without passing the guard.
 */
import { FLOW_ENDPOINTS, openPrintPayload } from '../../shared/api/flow.ts';
import { MAX_MUTATIONS_PER_REQUEST, type Mutation, type MutationResult } from '../../shared/api/flow.ts';
import { CORE_ENDPOINTS } from '../../shared/api/endpoints.ts';
import type { HubClient } from '../../shared/api/client.ts';
import { widestWaybillNo, type BlockReason, type Courier } from '../../shared/domain/index.ts';
import { SAMPLE_LABEL } from '../../shared/label/index.ts';
import { normalizeOptions, type LabelBackend, type LabelReport, type RenderOptions } from '../print/backend.ts';
import type { Transport } from '../print/transports/index.ts';
import { chinaTimestamp, labelDataFromPayload } from './label-data.ts';

export const MAX_CHUNK = 20;

export type LabelOutcome =
  | { orderSn: string; state: 'sent'; waybillNo: string; printedAt: string; report: LabelReport | null }
  | { orderSn: string; state: 'blocked'; reason: BlockReason }
  | { orderSn: string; state: 'failed'; error: string };

export interface PrintChunkDeps {
  /** A client holding the station token. */
  hub: HubClient;
  /** base64 of the station's payload key (from pairing); only main holds it. */
  payloadKey: string;
  backend: LabelBackend;
  transport: Transport;
  renderOptions: Partial<RenderOptions>;
  now?: () => Date;
  onLabel?: (outcome: LabelOutcome) => void;
}

export async function printChunk(deps: PrintChunkDeps, orderSns: string[], courier: Courier): Promise<LabelOutcome[]> {
  if (orderSns.length === 0) return [];
  if (orderSns.length > MAX_CHUNK) throw new Error(`a print chunk holds at most ${MAX_CHUNK} labels`);
  const now = deps.now ?? (() => new Date());
  const renderOptions = normalizeOptions(deps.renderOptions);
  // A calibration offset that pushes the codes off this template, or a courier whose numbers are too long
  // for a barcode that scans on it, fails every label: find out before the hub issues (and the courier
  // spends) tracking numbers that could not be printed. The probe carries the courier's widest number.
  const widest = widestWaybillNo(courier);
  await deps.backend.render([{ ...SAMPLE_LABEL, waybillNo: widest, qrPayload: widest }], renderOptions);
  const outcomes: LabelOutcome[] = [];
  const emit = (o: LabelOutcome) => {
    outcomes.push(o);
    deps.onLabel?.(o);
  };

  const { results: checks } = await deps.hub.call(CORE_ENDPOINTS.check, { body: { orderSns } });
  const guard = new Map(checks.map((c) => [c.orderSn, c]));
  const allowed: string[] = [];
  for (const sn of orderSns) {
    const c = guard.get(sn);
    if (!c) emit({ orderSn: sn, state: 'blocked', reason: 'not_allocated' });
    else if (!c.printable) emit({ orderSn: sn, state: 'blocked', reason: c.reason ?? 'not_allocated' });
    else allowed.push(sn);
  }
  if (allowed.length === 0) return outcomes;

  const { results: waybills } = await deps.hub.call(FLOW_ENDPOINTS.issueWaybills, {
    body: { orderSns: allowed, courier },
  });
  for (const w of waybills) {
    if (w.status === 'refused') {
      emit({ orderSn: w.orderSn, state: 'blocked', reason: w.reason });
      continue;
    }
    try {
      const payload = await openPrintPayload(deps.payloadKey, w.printPayload);
      // The envelope's additional data is the same for every payload: bind it to its order here.
      if (payload.orderSn !== w.orderSn || payload.waybillNo !== w.waybillNo) {
        throw new Error(`面单数据与订单不符 (payload for ${payload.orderSn}, expected ${w.orderSn})`);
      }
      // M7: a waybill issued before the latest address change carries the old address.
      if (payload.addressVersion !== guard.get(w.orderSn)?.addressVersion) {
        emit({ orderSn: w.orderSn, state: 'blocked', reason: 'address_changed' });
        continue;
      }
      const printedAt = chinaTimestamp(now());
      const rendered = await deps.backend.render([labelDataFromPayload(payload, printedAt)], renderOptions);
      await deps.transport.send(rendered.bytes);
      emit({
        orderSn: w.orderSn,
        state: 'sent',
        waybillNo: payload.waybillNo,
        printedAt,
        report: rendered.reports[0] ?? null,
      });
    } catch (e) {
      emit({ orderSn: w.orderSn, state: 'failed', error: (e as Error).message });
    }
  }
  return outcomes;
}

/**
 * The station's outbox (DESIGN.md §4): one stable clientId, ids rising by exactly 1, and the mutations
 * not yet acknowledged. An id is taken when the mutation is queued, never when it is sent, and a
 * mutation leaves the queue only when its own result has come back — after a lost answer the hub
 * returns the stored result for a resent id, so nothing is applied twice and nothing is dropped.
 */
export interface Outbox {
  clientId: string;
  nextId: number;
  pending: Mutation[];
}

/** Queue 回传运单号 for the labels that were sent. The caller persists the outbox before pushing it. */
export function queueReturns(outbox: Outbox, sent: Array<Extract<LabelOutcome, { state: 'sent' }>>): void {
  for (const s of sent) {
    outbox.pending.push({
      id: outbox.nextId++,
      type: 'waybill_returned',
      orderSn: s.orderSn,
      waybillNo: s.waybillNo,
      printedAt: s.printedAt,
    });
  }
}

/**
 * Push the queued mutations in order and drop the acknowledged ones. A transient failure
 * (HubUnreachableError) leaves the queue as it was, to be pushed again later.
 */
export async function pushOutbox(
  hub: HubClient,
  outbox: Outbox,
): Promise<Array<{ mutation: Mutation; result: MutationResult }>> {
  const done: Array<{ mutation: Mutation; result: MutationResult }> = [];
  while (outbox.pending.length > 0) {
    const batch = outbox.pending.slice(0, MAX_MUTATIONS_PER_REQUEST);
    const res = await hub.call(FLOW_ENDPOINTS.pushMutations, { body: { clientId: outbox.clientId, mutations: batch } });
    const byId = new Map(res.results.map((r) => [r.id, r]));
    const acked = batch.filter((m) => byId.has(m.id));
    if (acked.length === 0) throw new Error('平台没有确认任何回传 (no mutation acknowledged)');
    for (const m of acked) done.push({ mutation: m, result: byId.get(m.id)! });
    const ackedIds = new Set(acked.map((m) => m.id));
    outbox.pending = outbox.pending.filter((m) => !ackedIds.has(m.id));
  }
  return done;
}
