/**
 * The order list's data: a compact in-memory index of every cached order (what the list filters, counts
 * and selects on), kept current by reading only the rows whose local change number (`seq`) moved since
 * the last look — so 50,000 orders filter, count and select in milliseconds, and a feed page of 1,000
 * changes costs 1,000 rows, not 50,000. Full rows (items, masked recipient) are read only for the rows
 * on screen.
 */
import { chinaDayStartOf, type Courier } from '../../../shared/domain/index.ts';
import { META, type OrderRow, type OrderView, type StationDb } from '../../data/db.ts';

export interface OrderEntry {
  orderSn: string;
  view: OrderView;
  reason: OrderRow['reason'];
  merchantShopId: number;
  merchantName: string;
  skuIds: string[];
  singleSku: string | null;
  goods: string;
  /** Masked receiver and region only (M4): 张*丰 浙江省杭州市. */
  receiver: string;
  quantity: number;
  courier: Courier | null;
  waybillNo: string | null;
  claimStation: string | null;
  claimStationId: number | null;
  createdAt: string;
  /** createdAt as a number, for sorting and the date range. */
  createdMs: number;
}

export interface OrderFilter {
  view: OrderView | 'all';
  merchantShopId: number | null;
  skuId: string | null;
  courier: Courier | null;
  /** yyyy-mm-dd, China day, inclusive. */
  from: string | null;
  to: string | null;
  search: string;
}

export const EMPTY_FILTER: OrderFilter = {
  view: 'all',
  merchantShopId: null,
  skuId: null,
  courier: null,
  from: null,
  to: null,
  search: '',
};

export function entryOf(o: OrderRow): OrderEntry {
  return {
    orderSn: o.orderSn,
    view: o.view,
    reason: o.reason,
    merchantShopId: o.merchantShopId,
    merchantName: o.merchantName,
    skuIds: o.skuIds,
    singleSku: o.singleSku,
    goods: o.items.map((i) => `${i.goodsName} ${i.spec}×${i.quantity}`).join('；'),
    receiver: `${o.recipient.name} ${o.recipient.province}${o.recipient.city === o.recipient.province ? '' : o.recipient.city}${o.recipient.district}`,
    quantity: o.quantity,
    courier: o.courier,
    waybillNo: o.waybillNo,
    claimStation: o.claim?.stationName ?? null,
    claimStationId: o.claim?.stationId ?? null,
    createdAt: o.createdAt,
    createdMs: Date.parse(o.createdAt),
  };
}

/** The filtered orders, newest first. Pure, so the list, the counts and the benchmark share it. */
export function filterOrders(all: readonly OrderEntry[], f: OrderFilter): OrderEntry[] {
  const q = f.search.trim();
  const from = f.from ? chinaDayStartOf(f.from) : -Infinity;
  const to = f.to ? chinaDayStartOf(f.to) + 86_400_000 : Infinity;
  return all.filter(
    (o) =>
      (f.view === 'all' || o.view === f.view) &&
      (f.merchantShopId === null || o.merchantShopId === f.merchantShopId) &&
      (f.skuId === null || o.skuIds.includes(f.skuId)) &&
      (f.courier === null || o.courier === f.courier) &&
      o.createdMs >= from &&
      o.createdMs < to &&
      (q === '' || o.orderSn.includes(q) || (o.waybillNo !== null && o.waybillNo.includes(q))),
  );
}

/** Counts per status of the orders matching every filter but the status. */
export function countByView(all: readonly OrderEntry[], f: OrderFilter): Record<OrderView | 'all', number> {
  const counts = { all: 0, printable: 0, blocked: 0, printed: 0, returned: 0, shipped: 0 };
  for (const o of filterOrders(all, { ...f, view: 'all' })) {
    counts.all++;
    counts[o.view]++;
  }
  return counts;
}

const FIRST_PAINT_ROWS = 500;

const newestFirst = (a: OrderEntry, b: OrderEntry) => b.createdMs - a.createdMs || (a.orderSn < b.orderSn ? 1 : -1);

/**
 * Keeps `entries` (sorted newest first) current. `refresh()` reads the rows changed since the last call
 * (or everything after a reset of the cache); listeners hear of every change.
 */
export class OrderIndex {
  private readonly db: StationDb;
  private bySn = new Map<string, OrderEntry>();
  private seq = 0;
  private epoch: unknown = undefined;
  private listeners = new Set<() => void>();
  private running: Promise<void> | null = null;
  private again = false;
  entries: OrderEntry[] = [];
  loaded = false;
  version = 0;

  constructor(db: StationDb) {
    this.db = db;
  }

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.load();
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async load(): Promise<void> {
    const epoch = (await this.db.meta.get(META.ordersEpoch))?.value;
    let changed: OrderRow[];
    if (epoch !== this.epoch || !this.loaded) {
      this.bySn = new Map();
      this.seq = 0;
      this.epoch = epoch;
    }
    if (!this.loaded) {
      // First paint: the most recently changed orders at once, the whole set right after.
      const newest = await this.db.orders.where('seq').above(0).reverse().limit(FIRST_PAINT_ROWS).toArray();
      this.entries = newest.map(entryOf).sort(newestFirst);
      this.version++;
      for (const l of this.listeners) l();
      // Let that paint before the long read of every row takes the main thread.
      await new Promise((r) => setTimeout(r, 100));
    }
    // Read in slices so a first load of 50,000 rows does not hold one long transaction.
    let any = false;
    for (;;) {
      changed = await this.db.orders.where('seq').above(this.seq).limit(10_000).toArray();
      if (changed.length === 0) break;
      any = true;
      for (const o of changed) {
        this.bySn.set(o.orderSn, entryOf(o));
        if (o.seq > this.seq) this.seq = o.seq;
      }
      if (changed.length < 10_000) break;
    }
    if (!any && this.loaded && this.entries.length === this.bySn.size) return;
    this.entries = [...this.bySn.values()].sort(
      (a, b) => b.createdMs - a.createdMs || (a.orderSn < b.orderSn ? 1 : -1),
    );
    this.loaded = true;
    this.version++;
    for (const l of this.listeners) l();
  }
}
