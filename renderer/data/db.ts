/**
 * The station's one durable store (DESIGN.md §1): Dexie over IndexedDB in the renderer, opened with
 * strict durability, so "committed" means "on disk" — the two-phase print protocol (§7) relies on it.
 *
 * Tables:
 * - orders: the masked snapshots the feed delivered (never a full address), with the local print mark;
 * - meta: the feed cursor and freshness (written with the rows they cover), the clientId and the next
 *   mutation id of the outbox;
 * - waybills: numbers taken while online, with their still-sealed print payloads (only main opens them);
 * - batches and jobItems: each label's state, `queued → sending → sent | blocked | failed`, and
 *   `in_doubt` after a crash;
 * - outbox: mutations waiting for the hub, ids rising by exactly 1;
 * - alerts: interception alerts until a worker acknowledges them; printLog: every label printed.
 *
 * Versions are numbered and never edited once shipped: a change is a new version with its upgrade.
 */
import { Dexie, type EntityTable, type Table } from 'dexie';
import type {
  AfterSaleState,
  AuditState,
  BlockReason,
  Courier,
  OrderStatus,
} from '../../shared/domain/index.ts';
import type { Mutation } from '../../shared/api/waybills.ts';
import type { LabelBlockReason, StationErrorBody } from '../../shared/ipc/index.ts';

/** What the order list filters on (可打印 / 已拦截 / 已打印 / 已回传 / 已发货). */
export type OrderView = 'printable' | 'blocked' | 'printed' | 'returned' | 'shipped';

export interface OrderItemRow {
  goodsId: string;
  skuId: string;
  goodsName: string;
  spec: string;
  quantity: number;
}

export interface OrderRow {
  orderSn: string;
  version: number;
  merchantShopId: number;
  merchantName: string;
  items: OrderItemRow[];
  /** Every SKU of the order (multi-entry index). */
  skuIds: string[];
  /** The SKU when the order has exactly one, for scan-to-print by SKU. */
  singleSku: string | null;
  quantity: number;
  /** Masked recipient only (M4). */
  recipient: { name: string; phone: string; province: string; city: string; district: string; detail: string };
  status: OrderStatus;
  afterSale: AfterSaleState;
  audit: AuditState;
  addressVersion: number;
  waybillNo: string | null;
  waybillStatus: 'issued' | 'returned' | 'cancelled' | null;
  courier: Courier | null;
  claim: { stationId: number; stationName: string } | null;
  /** 1/0: IndexedDB cannot index booleans. */
  printable: 0 | 1;
  reason: BlockReason | null;
  view: OrderView;
  /** main's seal over the snapshot, for the offline guard. */
  seal: string;
  /** When this station printed a label for the order's current number (local, kept across feed updates). */
  printedAt: string | null;
  createdAt: string;
  allocatedAt: string;
  syncedAt: string;
  /** Local change counter (meta `orders.seq`): views read only the rows changed since they last looked. */
  seq: number;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

export interface PreparedWaybill {
  orderSn: string;
  waybillNo: string;
  courier: Courier;
  envelope: string;
  preparedAt: string;
}

export type BatchState = 'ready' | 'printing' | 'paused' | 'done' | 'cancelled';

export interface BatchRow {
  id?: number;
  name: string;
  kind: 'print' | 'reprint';
  createdAt: string;
  printerId: string;
  courier: Courier;
  sortBySku: boolean;
  total: number;
  state: BatchState;
  /** Why it is paused: a printer fault, the hub offline, a worker, a restart. */
  pause: { kind: 'printer' | 'offline' | 'worker' | 'restart'; error: StationErrorBody | null } | null;
  takeoverReason: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export type JobItemState = 'queued' | 'sending' | 'sent' | 'blocked' | 'failed' | 'in_doubt' | 'cancelled';

export interface JobItemRow {
  id?: number;
  batchId: number;
  seq: number;
  orderSn: string;
  state: JobItemState;
  waybillNo: string | null;
  courier: Courier | null;
  reason: LabelBlockReason | null;
  message: string | null;
  claimedBy: { stationId: number; name: string } | null;
  error: StationErrorBody | null;
  unverified: boolean;
  printedAt: string | null;
  /** An explicit worker decision that lets main print a number again. */
  override: { kind: 'reprint'; reason: string } | { kind: 'in_doubt_not_printed' } | null;
  updatedAt: string;
}

export interface OutboxRow {
  /** The mutation id: rises by exactly 1 per installation (DESIGN.md §4). */
  id: number;
  mutation: Mutation;
  createdAt: string;
  attempts: number;
  lastError: string | null;
}

export interface AlertRow {
  id?: number;
  kind: 'intercept' | 'sync';
  orderSn: string;
  waybillNo: string | null;
  reason: string;
  message: string;
  createdAt: string;
  /** 0 until acknowledged (indexable), then 1. */
  acked: 0 | 1;
  ackedAt: string | null;
}

export interface PrintLogRow {
  id?: number;
  at: string;
  orderSn: string;
  waybillNo: string;
  courier: Courier | null;
  printerId: string;
  printerName: string;
  stationName: string;
  batchId: number;
  kind: 'print' | 'reprint' | 'in_doubt_confirmed';
  reason: string | null;
  unverified: boolean;
  returnState: 'pending' | 'returned' | 'rejected' | 'none';
  returnMessage: string | null;
}

export class StationDb extends Dexie {
  declare orders: EntityTable<OrderRow, 'orderSn'>;
  declare meta: Table<MetaRow, string>;
  declare waybills: EntityTable<PreparedWaybill, 'orderSn'>;
  declare batches: EntityTable<BatchRow, 'id'>;
  declare jobItems: EntityTable<JobItemRow, 'id'>;
  declare outbox: EntityTable<OutboxRow, 'id'>;
  declare alerts: EntityTable<AlertRow, 'id'>;
  declare printLog: EntityTable<PrintLogRow, 'id'>;

  constructor(name = 'daifa-station') {
    super(name, { chromeTransactionDurability: 'strict' });
    // The first schema, before the station had its engines: a cache keyed by `sn` and a `sync` row.
    this.version(1).stores({
      orders: 'sn, version, printable',
      sync: 'id',
      batches: '++id, createdAt',
      jobItems: '++id, batchId, state, orderSn, [batchId+state]',
      outbox: 'id',
    });
    // The order cache changes its primary key, which IndexedDB cannot alter in place: drop it (it is only
    // a cache; the cursor goes with it, so the next pull is a full one) and create it again in version 3.
    this.version(2).stores({ orders: null, sync: null });
    this.version(3).stores({
      orders: 'orderSn, view, singleSku, waybillNo, seq',
      meta: 'key',
      waybills: 'orderSn, waybillNo',
      batches: '++id, createdAt, state, printerId',
      jobItems: '++id, [batchId+seq], [batchId+state], state, orderSn, waybillNo',
      outbox: 'id',
      alerts: '++id, acked, createdAt, orderSn',
      printLog: '++id, at, orderSn, waybillNo, returnState, batchId',
    });
    // A store created now may replace one that was lost (a profile the browser wiped after a crash, a
    // new browser): main's print journal says what it had printed (engines/store-recovery.ts).
    this.on('populate', (tx) => {
      void tx.table('meta').bulkPut([
        { key: META.createdAt, value: new Date().toISOString() },
        { key: META.journalPending, value: true },
      ]);
    });
  }
}

export const META = {
  cursor: 'feed.cursor',
  freshness: 'feed.freshness',
  lastSyncAt: 'feed.lastSyncAt',
  clientId: 'outbox.clientId',
  nextMutationId: 'outbox.nextMutationId',
  stationId: 'station.id',
  factoryShopId: 'station.factoryShopId',
  /** The last `seq` given to an order row. */
  ordersSeq: 'orders.seq',
  /** Bumped when the order cache is cleared (a reset, another station identity): views reload whole. */
  ordersEpoch: 'orders.epoch',
  /** When this store was created: a new time means the one before it was lost. */
  createdAt: 'store.createdAt',
  /** Set when the store is created; cleared once main's print journal has been read into it. */
  journalPending: 'store.journalPending',
} as const;

/** Reserves `n` change numbers for order rows; call inside a transaction that includes `meta`. */
export async function nextOrderSeqs(db: StationDb, n: number): Promise<number> {
  const last = ((await db.meta.get(META.ordersSeq))?.value as number | undefined) ?? 0;
  await db.meta.put({ key: META.ordersSeq, value: last + n });
  return last + 1;
}

/** Records that the order cache was cleared; call inside a transaction that includes `meta`. */
export async function bumpOrdersEpoch(db: StationDb): Promise<void> {
  const epoch = ((await db.meta.get(META.ordersEpoch))?.value as number | undefined) ?? 0;
  await db.meta.put({ key: META.ordersEpoch, value: epoch + 1 });
}

export async function getMeta<T>(db: StationDb, key: string): Promise<T | undefined> {
  return (await db.meta.get(key))?.value as T | undefined;
}

export async function setMeta(db: StationDb, key: string, value: unknown): Promise<void> {
  await db.meta.put({ key, value });
}
