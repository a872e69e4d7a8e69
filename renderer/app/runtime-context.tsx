/**
 * The station runtime (engines, database, typed client) and the order index, handed to every screen.
 */
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { liveQuery } from 'dexie';
import type { StationRuntime } from '../engines/runtime.ts';
import { META } from '../data/db.ts';
import { OrderIndex } from '../features/orders/order-index.ts';
import type { HubStatus } from '../../shared/ipc/index.ts';

export interface Station {
  runtime: StationRuntime;
  index: OrderIndex;
}

const Ctx = createContext<Station | null>(null);

export function StationProvider({ runtime, children }: { runtime: StationRuntime; children: ReactNode }) {
  const [station] = useState<Station>(() => ({ runtime, index: new OrderIndex(runtime.db) }));
  useEffect(() => {
    // Any order row change bumps `orders.seq` (or the epoch): read just what changed.
    const sub = liveQuery(() =>
      Promise.all([runtime.db.meta.get(META.ordersSeq), runtime.db.meta.get(META.ordersEpoch)]),
    ).subscribe({
      next: () => void station.index.refresh(),
      error: (e) => console.error('order index', e),
    });
    return () => sub.unsubscribe();
  }, [runtime, station]);
  return <Ctx.Provider value={station}>{children}</Ctx.Provider>;
}

export function useStation(): Station {
  const s = useContext(Ctx);
  if (!s) throw new Error('useStation outside StationProvider');
  return s;
}

/** The order index's entries; re-renders when they change. */
export function useOrderEntries() {
  const { index } = useStation();
  useSyncExternalStore(
    (l) => index.subscribe(l),
    () => index.version,
  );
  return { entries: index.entries, loaded: index.loaded, version: index.version };
}

/** The hub's status as main reports it. */
export function useHubStatus(): HubStatus | null {
  const { runtime } = useStation();
  const [status, setStatus] = useState<HubStatus | null>(null);
  useEffect(() => {
    let live = true;
    runtime.client.api
      .hubStatus({})
      .then((s) => live && setStatus(s))
      .catch(() => undefined);
    const off = runtime.client.on('hubStatus', (s) => setStatus(s));
    return () => {
      live = false;
      off();
    };
  }, [runtime]);
  return status;
}

/** Whether this window runs the engines (only one window does; the others view). */
export function useIsLeader(): boolean {
  const { runtime } = useStation();
  const [leader, setLeader] = useState(runtime.leadership.isLeader());
  useEffect(() => {
    let live = true;
    void runtime.leadership.acquired.then(() => live && setLeader(true));
    return () => {
      live = false;
    };
  }, [runtime]);
  return leader;
}
