/**
 * M8 statements (对账单): a merchant asks, the hub answers 202 `pending`, and a durable job builds
 * the rows. The statement row itself is the job: a worker claims it with a lease (on PostgreSQL with
 * FOR UPDATE SKIP LOCKED, so several hub processes share the work), writes the rows in chunks while
 * renewing the lease, and marks it ready with its totals. A hub that dies mid-build leaves a lease
 * that expires; the next claimant deletes the partial rows and starts over, so a restart neither
 * loses a statement nor doubles its rows.
 *
 * Rows are frozen at build time (prices are looked up then, in force at each return), so a later
 * price change never rewrites a statement. They carry no consumer data at all (M10).
 */
import type { HubDb } from '../db/open.ts';
import type { StatementRowsTable, StatementsTable } from '../db/schema.ts';
import { randomUUID } from 'node:crypto';
import type { Insertable, Selectable } from 'kysely';
import { statementAllowance, statementLimitMessage } from '../../shared/domain/statement-limit.ts';
import type { CreateStatementRequest, Statement, StatementRow } from '../../shared/api/statements.ts';
import type { OrderItem } from '../../shared/domain/types.ts';
import type { HubContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import { chunks, writeTx, type Tx } from '../db/tx.ts';
import { priceBook } from '../prices/prices.ts';
import { yieldToEventLoop } from './statement-export.ts';

type StatementDbRow = Selectable<StatementsTable>;

/** Refused by the limit of M8, with when the next statement is allowed. */
function statementLimit(reason: 'daily_limit' | 'too_soon', nextAllowedAt: Date): DomainError {
  return new DomainError('STATEMENT_LIMIT', statementLimitMessage(reason, nextAllowedAt), {
    reason,
    nextAllowedAt: nextAllowedAt.toISOString(),
  });
}

export function statementView(r: StatementDbRow): Statement {
  return {
    id: r.id,
    factoryShopId: r.factory_shop_id,
    from: r.from_at,
    to: r.to_at,
    status: r.status,
    createdAt: r.created_at,
    readyAt: r.ready_at,
    orderCount: r.order_count,
    rowCount: r.row_count,
    totalQuantity: r.total_quantity,
    totalFen: r.total_fen === null ? null : Number(r.total_fen),
    missingPriceRows: r.missing_price_rows,
    error: r.error,
  };
}

export async function createStatement(
  ctx: HubContext,
  merchantId: number,
  req: CreateStatementRequest,
): Promise<Statement> {
  const from = new Date(req.from).toISOString();
  const to = new Date(req.to).toISOString();
  return writeTx(ctx, async (trx) => {
    const t = trx;
    // The binding row serialises statement requests of one pair (PostgreSQL); SQLite serialises writers.
    let bq = t
      .selectFrom('bindings')
      .select(['id', 'status'])
      .where('merchant_shop_id', '=', merchantId)
      .where('factory_shop_id', '=', req.factoryShopId);
    if (ctx.dialect === 'postgres') bq = bq.forUpdate();
    const binding = await bq.executeTakeFirst();
    if (!binding || binding.status !== 'accepted') {
      throw new DomainError('NOT_BOUND', '未与该厂家绑定，无法生成对账单');
    }
    const now = ctx.clock.now();
    // Two China days back is more than the rule ever looks at.
    const since = new Date(now.getTime() - 2 * 86_400_000).toISOString();
    const prev = await t
      .selectFrom('statements')
      .select('created_at')
      .where('merchant_shop_id', '=', merchantId)
      .where('factory_shop_id', '=', req.factoryShopId)
      .where('created_at', '>=', since)
      // A build that failed is the hub's fault, not the merchant's: it uses none of the day's statements.
      .where('status', '!=', 'failed')
      .execute();
    const allowance = statementAllowance(
      prev.map((p) => new Date(p.created_at)),
      now,
    );
    if (!allowance.allowed) throw statementLimit(allowance.reason, allowance.nextAllowedAt);
    const row = await t
      .insertInto('statements')
      .values({
        merchant_shop_id: merchantId,
        factory_shop_id: req.factoryShopId,
        from_at: from,
        to_at: to,
        status: 'pending',
        created_at: now.toISOString(),
        ready_at: null,
        order_count: null,
        row_count: null,
        total_quantity: null,
        total_fen: null,
        missing_price_rows: null,
        error: null,
        attempts: 0,
        lease_owner: null,
        lease_until_ms: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return statementView(row);
  });
}

export async function listStatements(ctx: HubContext, merchantId: number): Promise<Statement[]> {
  const rows = await ctx.db
    .selectFrom('statements')
    .selectAll()
    .where('merchant_shop_id', '=', merchantId)
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
  return rows.map(statementView);
}

export async function getStatement(ctx: HubContext, merchantId: number, id: number): Promise<StatementDbRow> {
  const row = await ctx.db
    .selectFrom('statements')
    .selectAll()
    .where('id', '=', id)
    .where('merchant_shop_id', '=', merchantId)
    .executeTakeFirst();
  if (!row) throw new DomainError('STATEMENT_NOT_FOUND', '对账单不存在');
  return row;
}

/** The frozen rows of a ready statement, page by page (keyset on seq): never all in memory. */
export async function* statementRows(db: HubDb, statementId: number, pageSize = 2000): AsyncGenerator<StatementRow> {
  let after = 0;
  for (;;) {
    const page = await db
      .selectFrom('statement_rows')
      .selectAll()
      .where('statement_id', '=', statementId)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const r of page) {
      yield {
        orderSn: r.order_sn,
        goodsName: r.goods_name,
        spec: r.spec,
        skuId: r.sku_id,
        quantity: r.quantity,
        unitPriceFen: r.unit_price_fen,
        amountFen: r.amount_fen === null ? null : Number(r.amount_fen),
        courier: r.courier,
        waybillNo: r.waybill_no,
        allocatedAt: r.allocated_at,
        returnedAt: r.returned_at,
      };
    }
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.seq;
  }
}

// ------------------------------------------------------------------------------------ the job

export interface StatementWorkerOptions {
  /** How long a claim holds before another process may take the job over. */
  leaseMs?: number;
  /** How often to look for pending statements when not woken. */
  pollMs?: number;
  /** Orders per build chunk (one transaction each). */
  chunkOrders?: number;
  /** Builds that may fail before a statement is marked failed. */
  maxAttempts?: number;
}

/** Claims one pending statement whose lease is free or expired. Returns it, or null. */
export async function claimStatement(
  ctx: HubContext,
  owner: string,
  leaseMs: number,
  maxAttempts: number,
): Promise<StatementDbRow | null> {
  return writeTx(ctx, async (trx) => {
    const t = trx;
    const nowMs = Date.now();
    let q = t
      .selectFrom('statements')
      .selectAll()
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('lease_until_ms', 'is', null), eb('lease_until_ms', '<', nowMs)]))
      .orderBy('id')
      .limit(1);
    // Several hubs on one PostgreSQL: each skips the rows another is claiming right now.
    if (ctx.dialect === 'postgres') q = q.forUpdate().skipLocked();
    const job = await q.executeTakeFirst();
    if (!job) return null;
    if (job.attempts >= maxAttempts) {
      await t
        .updateTable('statements')
        .set({ status: 'failed', error: job.error ?? '生成失败次数过多', lease_owner: null, lease_until_ms: null })
        .where('id', '=', job.id)
        .execute();
      return null;
    }
    return t
      .updateTable('statements')
      .set({ lease_owner: owner, lease_until_ms: nowMs + leaseMs, attempts: job.attempts + 1 })
      .where('id', '=', job.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

class LeaseLost extends Error {}

interface SourceRow {
  waybill_id: number;
  order_id: number;
  sn: string;
  items_json: string;
  courier: string;
  waybill_no: string;
  returned_at: string | null;
}

/**
 * Builds a claimed statement: every order of this merchant allocated to the factory whose tracking
 * number was returned in [from, to), one row per item, in return-time order.
 */
export async function buildStatement(
  ctx: HubContext,
  job: StatementDbRow,
  owner: string,
  opts: { leaseMs: number; chunkOrders: number },
): Promise<void> {
  const db = ctx.db;
  const price = await priceBook(db, job.factory_shop_id, job.merchant_shop_id);
  const totals = { orders: 0, rows: 0, qty: 0, fen: 0, missing: 0 };
  let seq = 0;
  // A previous attempt may have left part of the rows: start clean, under our lease.
  await withLease(ctx, job.id, owner, opts.leaseMs, async (t) => {
    await t.deleteFrom('statement_rows').where('statement_id', '=', job.id).execute();
  });
  let cursor: { returnedAt: string; id: number } | null = null;
  for (;;) {
    // The factory's returns in the range, by return time: one index range scan per page. Orders are
    // fetched by primary key afterwards rather than joined, so the plan cannot turn into a nested
    // loop over all orders when PostgreSQL's statistics are stale (it did, right after a bulk load).
    let q = db
      .selectFrom('waybills')
      .select(['id', 'order_id', 'courier', 'waybill_no', 'returned_at'])
      .where('factory_shop_id', '=', job.factory_shop_id)
      .where('returned_at', '>=', job.from_at)
      .where('returned_at', '<', job.to_at)
      .where('status', '=', 'returned');
    if (cursor) {
      const c: { returnedAt: string; id: number } = cursor;
      // A row-value comparison: both databases continue the (factory, returned_at, id) index range from it.
      q = q.where((eb) => eb(eb.refTuple('returned_at', 'id'), '>', eb.tuple(c.returnedAt, c.id)));
    }
    const waybillPage = await q.orderBy('returned_at').orderBy('id').limit(opts.chunkOrders).execute();
    if (waybillPage.length === 0) break;
    const last = waybillPage[waybillPage.length - 1]!;
    cursor = { returnedAt: last.returned_at!, id: last.id };
    const orderRows = await db
      .selectFrom('orders')
      .select(['id', 'sn', 'items_json', 'merchant_shop_id'])
      .where(
        'id',
        'in',
        waybillPage.map((w) => w.order_id),
      )
      .execute();
    const orderById = new Map(orderRows.map((o) => [o.id, o]));
    const page: SourceRow[] = [];
    for (const w of waybillPage) {
      const o = orderById.get(w.order_id);
      // Only this merchant's orders: the factory's other merchants have their own statements.
      if (!o || o.merchant_shop_id !== job.merchant_shop_id) continue;
      page.push({
        waybill_id: w.id,
        order_id: o.id,
        sn: o.sn,
        items_json: o.items_json,
        courier: w.courier,
        waybill_no: w.waybill_no,
        returned_at: w.returned_at,
      });
    }
    const more = waybillPage.length === opts.chunkOrders;
    if (page.length === 0) {
      if (more) continue;
      break;
    }
    const allocatedAt = await allocationTimes(
      db,
      job.factory_shop_id,
      page.map((p) => p.order_id),
    );
    const rows: Array<Insertable<StatementRowsTable>> = [];
    for (const p of page) {
      totals.orders++;
      const returnedAt = p.returned_at!;
      for (const item of JSON.parse(p.items_json) as OrderItem[]) {
        const unit = price(item.skuId, returnedAt);
        const amount = unit === null ? null : unit * item.quantity;
        totals.rows++;
        totals.qty += item.quantity;
        if (amount === null) totals.missing++;
        else totals.fen += amount;
        rows.push({
          statement_id: job.id,
          seq: ++seq,
          order_sn: p.sn,
          goods_name: item.goodsName,
          spec: item.spec,
          sku_id: item.skuId,
          quantity: item.quantity,
          unit_price_fen: unit,
          amount_fen: amount,
          courier: p.courier,
          waybill_no: p.waybill_no,
          allocated_at: allocatedAt.get(p.order_id) ?? '',
          returned_at: returnedAt,
        });
      }
    }
    await withLease(ctx, job.id, owner, opts.leaseMs, async (t) => {
      for (const part of chunks(rows, 400)) await t.insertInto('statement_rows').values(part).execute();
    });
    // On SQLite every query resolves through microtasks: let the hub serve requests between chunks.
    await yieldToEventLoop();
    if (!more) break;
  }
  await withLease(ctx, job.id, owner, opts.leaseMs, async (t) => {
    await t
      .updateTable('statements')
      .set({
        status: 'ready',
        ready_at: ctx.clock.now().toISOString(),
        order_count: totals.orders,
        row_count: totals.rows,
        total_quantity: totals.qty,
        total_fen: totals.fen,
        missing_price_rows: totals.missing,
        error: null,
        lease_owner: null,
        lease_until_ms: null,
      })
      .where('id', '=', job.id)
      .execute();
  });
}

/** When each order was (last) allocated to this factory. */
async function allocationTimes(db: HubDb, factoryId: number, orderIds: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const rows = await db
    .selectFrom('allocations')
    .select(['order_id', 'allocated_at'])
    .where('factory_shop_id', '=', factoryId)
    .where('order_id', 'in', orderIds)
    .orderBy('id')
    .execute();
  for (const r of rows) out.set(r.order_id, r.allocated_at);
  return out;
}

/** Runs `fn` in a transaction that first checks and extends our lease; throws LeaseLost if another took it. */
async function withLease(
  ctx: HubContext,
  id: number,
  owner: string,
  leaseMs: number,
  fn: (t: Tx) => Promise<void>,
): Promise<void> {
  await writeTx(ctx, async (trx) => {
    const t = trx;
    const res = await t
      .updateTable('statements')
      .set({ lease_until_ms: Date.now() + leaseMs })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new LeaseLost();
    await fn(t);
  });
}

/** The in-process job runner: polls, and wakes at once when a statement is created. */
export class StatementWorker {
  private readonly ctx: HubContext;
  private readonly owner = `hub-${process.pid}-${randomUUID()}`;
  private readonly opts: Required<StatementWorkerOptions>;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private wakeAgain = false;

  constructor(ctx: HubContext, opts: StatementWorkerOptions = {}) {
    this.ctx = ctx;
    this.opts = {
      leaseMs: opts.leaseMs ?? 30_000,
      pollMs: opts.pollMs ?? 1_000,
      chunkOrders: opts.chunkOrders ?? 1_000,
      maxAttempts: opts.maxAttempts ?? 5,
    };
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Look for work now (after a statement was created). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) this.wakeAgain = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.drain(true)
        .then(() => undefined)
        .finally(() => {
          this.running = null;
          const again = this.wakeAgain;
          this.wakeAgain = false;
          this.schedule(again ? 0 : this.opts.pollMs);
        });
    }, ms);
    this.timer.unref();
  }

  /**
   * Builds pending statements until none is left (or, for the background loop, until stopped).
   * Public so tests and tools can run it directly.
   */
  async drain(background = false): Promise<number> {
    let built = 0;
    for (;;) {
      let job: StatementDbRow | null;
      try {
        job = await claimStatement(this.ctx, this.owner, this.opts.leaseMs, this.opts.maxAttempts);
      } catch (e) {
        this.ctx.log.error({ err: e }, 'statement claim failed');
        return built;
      }
      if (!job) return built;
      try {
        await buildStatement(this.ctx, job, this.owner, this.opts);
        built++;
      } catch (e) {
        if (e instanceof LeaseLost) continue;
        this.ctx.log.error({ err: e, statementId: job.id }, 'statement build failed');
        // Release the lease; the attempt counts, and after maxAttempts the statement is marked failed.
        await this.ctx.db
          .updateTable('statements')
          .set({ lease_owner: null, lease_until_ms: null, error: String((e as Error).message ?? e).slice(0, 500) })
          .where('id', '=', job.id)
          .where('lease_owner', '=', this.owner)
          .execute()
          .catch(() => undefined);
      }
      if (background && this.stopped) return built;
    }
  }
}
