/**
 * The station's engines composed over one typed client and one database: what the UI (and the headless
 * harness) drives. It checks that the local data belongs to the paired station (a re-pair to another
 * factory starts a fresh cache and clientId), recovers in-doubt labels (and, in a store that replaces a
 * lost one, what main's print journal says was printed), then runs the engines while this window leads.
 */
import {
  createStationClient,
  type StationBridge,
  type StationClient,
  type StationInfo,
} from '../../shared/ipc/index.ts';
import { bumpOrdersEpoch, META, StationDb } from '../data/db.ts';
import { BatchRunner } from './batch-runner.ts';
import { requestLeadership, type Leadership } from './leader.ts';
import { storeRecovery, type StoreRecovery } from './store-recovery.ts';
import { SyncEngine, type SyncEngineOptions } from './sync-engine.ts';

export interface StationRuntime {
  db: StationDb;
  client: StationClient;
  sync: SyncEngine;
  runner: BatchRunner;
  leadership: Leadership;
  recovery: StoreRecovery;
  info(): StationInfo | null;
  /** Re-reads the station identity (after pairing) and starts the engines when this window leads. */
  refresh(): Promise<StationInfo>;
  stop(): void;
}

export interface RuntimeOptions {
  dbName?: string;
  sync?: SyncEngineOptions;
}

export async function createStationRuntime(bridge: StationBridge, opts: RuntimeOptions = {}): Promise<StationRuntime> {
  const db = new StationDb(opts.dbName);
  await db.open();
  const client = createStationClient(bridge);
  const sync = new SyncEngine(db, client, opts.sync);
  let info: StationInfo | null = null;
  let printerNames = new Map<string, string>();
  const runner = new BatchRunner(db, client, sync, {
    stationName: () => info?.stationName ?? '',
    printerName: (id) => printerNames.get(id) ?? id,
  });
  const leadership = requestLeadership();
  const recovery = storeRecovery(db, client, runner, () => info?.stationId ?? null);
  // Offline at start: it reads the journal once the hub is back (it needs the hub's view of each number).
  const recover = () => void recovery.run().catch(() => undefined);
  let unsubRecover = () => {};
  let started = false;

  async function adoptStation(i: StationInfo) {
    if (!i.paired) return;
    const [sid, fid] = await Promise.all([db.meta.get(META.stationId), db.meta.get(META.factoryShopId)]);
    if (sid?.value === i.stationId) return;
    await db.transaction('rw', [db.orders, db.meta, db.waybills], async () => {
      // Another station identity: the order cache and numbers held belong to it, not to us.
      await db.orders.clear();
      await bumpOrdersEpoch(db);
      await db.waybills.clear();
      await db.meta.bulkDelete([META.cursor, META.freshness, META.lastSyncAt]);
      if (fid !== undefined && fid.value !== i.factoryShopId) {
        // A clientId is bound to one factory on the hub.
        await db.meta.bulkDelete([META.clientId]);
      }
      await db.meta.bulkPut([
        { key: META.stationId, value: i.stationId },
        { key: META.factoryShopId, value: i.factoryShopId },
      ]);
    });
  }

  async function refresh(): Promise<StationInfo> {
    info = await client.api.info({});
    const printers = await client.api.listPrinters({});
    printerNames = new Map(printers.printers.map((p) => [p.id, p.name]));
    await adoptStation(info);
    if (info.paired && !started) {
      started = true;
      void leadership.acquired.then(async () => {
        await runner.attach();
        unsubRecover = client.on('hubStatus', (s) => {
          if (s.online) recover();
        });
        recover();
        await sync.start();
      });
    }
    return info;
  }

  return {
    db,
    client,
    sync,
    runner,
    leadership,
    recovery,
    info: () => info,
    refresh,
    stop() {
      sync.stop();
      unsubRecover();
      runner.detach();
      leadership.release();
      db.close();
    },
  };
}
