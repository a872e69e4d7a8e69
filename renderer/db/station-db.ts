/**
 * The station's one durable store (DESIGN.md §1): Dexie over IndexedDB in the renderer.
 * Opened with strict durability so a committed transaction survives a power cut — the crash-safety
 * protocol of DESIGN.md §7 relies on "committed" meaning "on disk".
 */
import { Dexie, type EntityTable } from 'dexie';
import type { BlockReason } from '../../shared/domain/index.ts';

/** A masked order snapshot as the feed delivered it. */
export interface CachedOrder {
  sn: string;
  /** The factory feed version at which this snapshot was produced. */
  version: number;
  printable: boolean;
  reason: BlockReason | null;
  /** The masked snapshot itself, opaque to the store. */
  snapshot: unknown;
  syncedAt: string;
}

export interface SyncState {
  id: 'feed';
  cursor: string | null;
  lastSyncAt: string | null;
}

export type JobItemState = 'queued' | 'sending' | 'sent' | 'blocked' | 'failed';

export interface JobItem {
  id?: number;
  batchId: number;
  orderSn: string;
  state: JobItemState;
  detail: string | null;
  updatedAt: string;
}

export interface Batch {
  id?: number;
  createdAt: string;
  printerId: string;
  template: string;
}

export interface OutboxEntry {
  /** The mutation id: rises by exactly 1 per installation (DESIGN.md §4). */
  id: number;
  type: 'waybill_returned' | 'waybill_cancelled';
  payload: unknown;
  createdAt: string;
  attempts: number;
}

export class StationDb extends Dexie {
  declare orders: EntityTable<CachedOrder, 'sn'>;
  declare sync: EntityTable<SyncState, 'id'>;
  declare batches: EntityTable<Batch, 'id'>;
  declare jobItems: EntityTable<JobItem, 'id'>;
  declare outbox: EntityTable<OutboxEntry, 'id'>;

  constructor(name = 'daifa-station') {
    super(name, { chromeTransactionDurability: 'strict' });
    this.version(1).stores({
      orders: 'sn, version, printable',
      sync: 'id',
      batches: '++id, createdAt',
      jobItems: '++id, batchId, state, orderSn, [batchId+state]',
      outbox: 'id',
    });
  }
}

export interface FeedPage {
  changes: CachedOrder[];
  cursor: string;
  /** The hub could not serve our cursor: drop the cache and take the full set that follows. */
  reset: boolean;
}

/**
 * Apply one feed page: the order rows and the new cursor are written in ONE transaction, so a crash
 * can never leave a cursor that points past changes we did not store (D1).
 */
export async function applyFeedPage(db: StationDb, page: FeedPage, now: string): Promise<void> {
  await db.transaction('rw', db.orders, db.sync, async () => {
    if (page.reset) await db.orders.clear();
    if (page.changes.length > 0) {
      const existing = await db.orders.bulkGet(page.changes.map((c) => c.sn));
      // A replayed page must never roll a newer snapshot back.
      const fresh = page.changes.filter((c, i) => (existing[i]?.version ?? -1) < c.version);
      await db.orders.bulkPut(fresh);
    }
    await db.sync.put({ id: 'feed', cursor: page.cursor, lastSyncAt: now });
  });
}

export async function readCursor(db: StationDb): Promise<string | null> {
  return (await db.sync.get('feed'))?.cursor ?? null;
}
