/**
 * The station's engines without the UI, in a real browser: the same runtime the UI uses (Dexie, the
 * sync engine, the batch runner, the contract over the station's WebSocket), exposed on `window` for
 * programs that drive the station headless — the engine tests and the station benchmark.
 */
import { hostBridge } from './ipc/bridge.ts';
import { createStationRuntime, type StationRuntime } from './engines/runtime.ts';

declare global {
  interface Window {
    daifaHarness?: { runtime: StationRuntime; startedAt: number; printableSns(limit?: number): Promise<string[]> };
  }
}

const startedAt = performance.now();

const bridge = hostBridge();
await bridge.ready();
// Polls every second, pushed or not; ?pullMs=N polls every N ms instead (a test of the push channel
// sets it long, so that only a push can bring a change quickly).
const pullMs = Number(new URLSearchParams(location.search).get('pullMs')) || 1000;
const runtime = await createStationRuntime(bridge, {
  sync: { pullIntervalMs: pullMs, livePullIntervalMs: pullMs },
});
await runtime.refresh();
window.daifaHarness = {
  runtime,
  startedAt,
  async printableSns(limit = 1_000_000) {
    return (await runtime.db.orders.where('view').equals('printable').limit(limit).primaryKeys()) as string[];
  },
};
document.body.dataset.ready = '1';
