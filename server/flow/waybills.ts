/**
 * POST /v1/station/waybills (M5, M7): a number per order, idempotent until cancelled, refused for
 * abnormal orders (shared `printability`), and re-issued when an address change made it stale.
 *
 * The courier is asked for numbers *outside* the database transaction (a real courier is a network
 * call, and on SQLite a second transaction would wait on the first). The transaction then re-reads
 * the orders under lock and uses the numbers; if the picture changed meanwhile it starts over, and
 * numbers it did not use are cancelled with the courier.
 */
import type { Courier, OrderState } from '../../shared/domain/types.ts';
import { printability } from '../../shared/domain/rules.ts';
import { blockReasonText } from '../../shared/domain/reasons.ts';
import { maskName, maskPhone } from '../../shared/domain/masking.ts';
import type { PrintPayload, WaybillResult, WaybillsRequest } from '../../shared/api/flow.ts';
import type { HubContext } from '../context.ts';
import type { StationCaller } from '../http/auth.ts';
import {
  itemsOf,
  loadMerchantInfo,
  loadOrdersBySn,
  orderStateOf,
  recipientOf,
  type LoadedOrder,
} from '../core/orders.ts';
import { lockOrders, reserveVersions, writeFeedEntries, writeTx } from '../core/tx.ts';
import type { ElectronicWaybillService, IssuedNumber, SerialSource } from './courier.ts';
import { routingCodeFor } from './courier.ts';
import { sealPrintPayload } from './payload-crypto.ts';
import { flowDb, flowTx } from './schema.ts';

type Decision =
  | { kind: 'reuse'; order: LoadedOrder }
  | { kind: 'issue'; order: LoadedOrder; staleWaybillId: number | null }
  | { kind: 'refuse'; result: WaybillResult };

function decide(sn: string, o: LoadedOrder | undefined, factoryShopId: number): Decision {
  if (!o) return refuse(sn, 'not_allocated');
  const state: OrderState = orderStateOf(o);
  const p = printability(state, { factoryShopId });
  if (p.printable) return o.waybill?.status === 'issued' ? { kind: 'reuse', order: o } : issue(o, null);
  // A stale number is the only thing wrong: printability checks after-sale and audit before staleness.
  if (p.reason === 'address_changed' && o.waybill) return issue(o, o.waybill.id);
  return refuse(sn, p.reason);
}

function issue(order: LoadedOrder, staleWaybillId: number | null): Decision {
  return { kind: 'issue', order, staleWaybillId };
}

function refuse(orderSn: string, reason: Parameters<typeof blockReasonText>[0]): Decision {
  return { kind: 'refuse', result: { orderSn, status: 'refused', reason, message: blockReasonText(reason) } };
}

/** Serials from the `waybill_serials` table, each block in its own short transaction. */
export function dbSerialSource(ctx: Pick<HubContext, 'db'>): SerialSource {
  return {
    async next(courier, count) {
      return writeTx(ctx, async (trx) => {
        const t = flowTx(trx);
        await t
          .insertInto('waybill_serials')
          .values({ courier, last_serial: 0 })
          .onConflict((oc) => oc.column('courier').doNothing())
          .execute();
        const row = await t
          .updateTable('waybill_serials')
          .set((eb) => ({ last_serial: eb('last_serial', '+', count) }))
          .where('courier', '=', courier)
          .returning('last_serial')
          .executeTakeFirstOrThrow();
        return Number(row.last_serial) - count + 1;
      });
    },
  };
}

class PlanChanged extends Error {}

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export async function issueWaybills(
  ctx: HubContext,
  courierService: ElectronicWaybillService,
  station: StationCaller,
  req: WaybillsRequest,
): Promise<WaybillResult[]> {
  const F = station.factoryShopId;
  const sns = [...new Set(req.orderSns)];
  const keyRow = await flowDb(ctx.db)
    .selectFrom('stations')
    .select('payload_key')
    .where('id', '=', station.stationId)
    .executeTakeFirstOrThrow();
  const key = Buffer.from(keyRow.payload_key, 'base64');

  for (let attempt = 1; ; attempt++) {
    // 1. Plan from a plain read, and get numbers for the orders that need one.
    const pre = await loadOrdersBySn(ctx.db, sns, { factoryShopId: F });
    const plan = new Map(sns.map((sn) => [sn, decide(sn, pre.get(sn), F)]));
    const needing = [...plan.values()].filter((d) => d.kind === 'issue');
    const pool = new Map<string, IssuedNumber>();
    if (needing.length > 0) {
      const issued = await courierService.issue(
        needing.map((d) => ({ orderSn: d.order.row.sn, courier: req.courier, address: recipientOf(d.order.row) })),
      );
      for (const n of issued) pool.set(n.orderSn, n);
    }
    const used = new Set<string>();
    const staleCancelled: Array<{ courier: Courier; waybillNo: string }> = [];

    try {
      // 2. Apply under lock, re-deciding from what is committed now.
      const final =
        needing.length === 0
          ? { plan, loaded: pre }
          : await writeTx(ctx, async (trx) => {
              used.clear();
              staleCancelled.length = 0;
              const first = (await reserveVersions(trx, new Map([[F, needing.length]]))).get(F)!;
              await lockOrders(
                trx,
                ctx,
                [...pre.values()].map((o) => o.row.id),
              );
              const loaded = await loadOrdersBySn(trx, sns, { factoryShopId: F });
              const now = ctx.clock.now().toISOString();
              const t = flowTx(trx);
              const changed: number[] = [];
              const again = new Map<string, Decision>();
              for (const sn of sns) {
                const d = decide(sn, loaded.get(sn), F);
                again.set(sn, d);
                if (d.kind !== 'issue') continue;
                const n = pool.get(sn);
                if (!n) throw new PlanChanged();
                if (d.staleWaybillId !== null) {
                  const stale = d.order.waybill!;
                  await t
                    .updateTable('waybills')
                    .set({ status: 'cancelled', cancelled_at: now, cancel_reason: 'address_changed' })
                    .where('id', '=', d.staleWaybillId)
                    .execute();
                  staleCancelled.push({ courier: stale.courier, waybillNo: stale.waybill_no });
                }
                const row = await t
                  .insertInto('waybills')
                  .values({
                    order_id: d.order.row.id,
                    order_sn: sn,
                    factory_shop_id: F,
                    waybill_no: n.waybillNo,
                    courier: n.courier,
                    address_version: d.order.row.address_version,
                    status: 'issued',
                    issued_at: now,
                    returned_at: null,
                    cancelled_at: null,
                    printed_at: null,
                    unverified: null,
                    slave_waybill_nos: null,
                    returned_station_id: null,
                    cancel_reason: null,
                  })
                  .returningAll()
                  .executeTakeFirstOrThrow();
                d.order.waybill = row;
                used.add(sn);
                changed.push(d.order.row.id);
              }
              // Issuing is visible to the factory's stations (DESIGN §4): bump the feed in this transaction.
              await writeFeedEntries(trx, F, changed, first);
              return { plan: again, loaded };
            });

      // 3. Numbers asked for but not used (the plan changed under us) go back to the courier.
      for (const [sn, n] of pool) if (!used.has(sn)) await courierService.cancel(n.courier, n.waybillNo);
      for (const s of staleCancelled) await courierService.cancel(s.courier, s.waybillNo);
      return await buildResults(ctx, sns, req.orderSns, final.plan, used, key);
    } catch (e) {
      if (!(e instanceof PlanChanged) && !isUniqueViolation(e)) throw e;
      for (const n of pool.values()) await courierService.cancel(n.courier, n.waybillNo);
      if (attempt >= 5) throw e;
    }
  }
}

async function buildResults(
  ctx: HubContext,
  sns: string[],
  requested: string[],
  plan: Map<string, Decision>,
  newlyIssued: Set<string>,
  key: Buffer,
): Promise<WaybillResult[]> {
  const merchants = await loadMerchantInfo(
    ctx.db,
    [...plan.values()].flatMap((d) => (d.kind === 'refuse' ? [] : [d.order.row.merchant_shop_id])),
  );
  const bySn = new Map<string, WaybillResult>();
  for (const sn of sns) {
    const d = plan.get(sn)!;
    if (d.kind === 'refuse') {
      bySn.set(sn, d.result);
      continue;
    }
    const o = d.order;
    const w = o.waybill!;
    const r = recipientOf(o.row);
    const m = merchants.get(o.row.merchant_shop_id);
    const payload: PrintPayload = {
      v: 1,
      orderSn: sn,
      courier: w.courier,
      waybillNo: w.waybill_no,
      addressVersion: w.address_version,
      routing: routingCodeFor(w.courier, r),
      receiver: {
        name: maskName(r.name),
        phone: maskPhone(r.phone),
        province: r.province,
        city: r.city,
        district: r.district,
        detail: r.detail,
      },
      shipper: m?.shipper ?? { name: m?.displayName ?? '', phone: '', address: '' },
      items: itemsOf(o.row).map((i) => ({ goodsName: i.goodsName, spec: i.spec, quantity: i.quantity })),
      pieces: { index: 1, total: 1 },
      issuedAt: w.issued_at,
    };
    bySn.set(sn, {
      orderSn: sn,
      status: 'issued',
      waybillNo: w.waybill_no,
      courier: w.courier,
      addressVersion: w.address_version,
      reused: !newlyIssued.has(sn),
      printPayload: sealPrintPayload(key, payload),
    });
  }
  return requested.map((sn) => bySn.get(sn)!);
}
