/**
 * The guard on the print path (DESIGN.md §5): nothing reaches a printer without passing it, whatever
 * the renderer asks. main's real services against a real hub over HTTP, a TCP listener as the printer;
 * the renderer is played by the test, acking each announced label as the batch runner would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSecretStore } from '../../../main/station/secret-store.ts';
import { createStationServices, type CallContext, type StationServices } from '../../../main/station/services.ts';
import type { LabelOutcome, PrintChunkArgs, PulledPage } from '../../../shared/ipc/index.ts';
import { startRawListener, type RawListener } from '../../support/raw-listener.ts';
import { tempDir } from '../../support/station.ts';
import { decodeTspl } from '../../support/tspl-decode.ts';
import { factoryWithOrders, type FactoryScenario } from '../../support/station-scenario.ts';
import {
  allocate,
  createFactory,
  createMerchant,
  createOrders,
  bindAndAccept,
  platformEvent,
  startTestHub,
  type TestHub,
} from '../../server/support/hub.ts';

interface Station {
  services: StationServices;
  printerId: string;
  ctx: CallContext;
  events: Array<{ name: string; payload: unknown }>;
  /** Lets the test move main's clock. */
  shift(ms: number): void;
}

async function station(dir: string, hub: TestHub, code: string, printer: RawListener): Promise<Station> {
  let offset = 0;
  const services = await createStationServices({
    dataDir: dir,
    host: 'browser',
    secrets: fileSecretStore(`${dir}/secrets.json`),
    now: () => new Date(Date.now() + offset),
    hubTimeoutMs: 2_000,
  });
  const events: Station['events'] = [];
  const ctx: CallContext = {
    connectionId: `test-${dir}`,
    signal: new AbortController().signal,
    emit: (name, payload) => {
      events.push({ name, payload });
      // The renderer would commit `sending` first; here the ack follows at once.
      const a =
        name === 'labelAnnounced'
          ? (payload as { chunkId: string; itemId: number })
          : ((payload as { next?: { chunkId: string; itemId: number } }).next ?? null);
      if (a) void services.handlers.ackLabel({ chunkId: a.chunkId, itemId: a.itemId }, ctx);
    },
  };
  await services.handlers.pair({ hubUrl: hub.url, code, name: '打印站 G' }, ctx);
  const p = await services.handlers.addPrinter({ name: 'TSPL', url: `${printer.url}?lang=tspl`, format: 'tspl' }, ctx);
  return { services, printerId: p.id, ctx, events, shift: (ms) => (offset += ms) };
}

let chunkNo = 0;
function chunk(s: Station, items: PrintChunkArgs['items'], extra: Partial<PrintChunkArgs> = {}): PrintChunkArgs {
  return { chunkId: `chunk-${++chunkNo}-xxxx`, printerId: s.printerId, courier: 'ZTO', items, ...extra };
}

const byState = (outcomes: LabelOutcome[], state: LabelOutcome['state']) => outcomes.filter((o) => o.state === state);

describe('the guard on the print path', () => {
  let hub: TestHub;
  let scenario: FactoryScenario;
  let printer: RawListener;
  let st: Station;
  const tmp = tempDir('daifa-guard-');

  beforeAll(async () => {
    hub = await startTestHub({ dialect: 'sqlite' });
    scenario = await factoryWithOrders(hub, { orders: 40 });
    printer = await startRawListener();
    st = await station(`${tmp.dir}/a`, hub, await scenario.pairingCode(), printer);
  });
  afterAll(async () => {
    await st?.services.close();
    await printer?.close();
    await hub?.close();
    tmp.cleanup();
  });

  /** What the printer has received, once bytes in flight have arrived (nothing new for 150 ms). */
  async function settled(): Promise<Buffer> {
    let n = -1;
    while (n !== printer.bytes().length) {
      n = printer.bytes().length;
      await new Promise((r) => setTimeout(r, 150));
    }
    return printer.bytes();
  }
  const printedNumbers = async () => decodeTspl(await settled()).labels.map((l) => l.barcodes[0]!.content);

  it('prints a normal order, and blocks one that went into after-sale after the sync (renderer asked anyway)', async () => {
    const [ok, turned] = scenario.sns;
    await platformEvent(hub, turned!, { type: 'after_sale_opened' });
    const before = (await printedNumbers()).length;
    const res = await st.services.handlers.printChunk(
      chunk(st, [
        { itemId: 1, orderSn: ok! },
        { itemId: 2, orderSn: turned! },
      ]),
      st.ctx,
    );
    expect(res.online).toBe(true);
    expect(byState(res.outcomes, 'sent').map((o) => o.orderSn)).toEqual([ok]);
    expect(byState(res.outcomes, 'blocked')).toMatchObject([
      { orderSn: turned, reason: 'after_sale', message: '订单售后中' },
    ]);
    expect((await printedNumbers()).length).toBe(before + 1);
  });

  it('blocks another factory’s order sn slipped into a chunk, saying nothing about it', async () => {
    const merchant = await createMerchant(hub);
    const other = await createFactory(hub);
    await bindAndAccept(hub, merchant, other);
    const [foreign] = await createOrders(hub, merchant, 1);
    await allocate(hub, merchant, other.shopId, [foreign!]);
    const before = (await settled()).length;
    const res = await st.services.handlers.printChunk(chunk(st, [{ itemId: 3, orderSn: foreign! }]), st.ctx);
    expect(res.outcomes).toMatchObject([{ state: 'blocked', reason: 'not_allocated' }]);
    expect((await settled()).length).toBe(before);
  });

  it('refuses to print a number a second time, unless the worker asks for a reprint with a reason', async () => {
    const sn = scenario.sns[2]!;
    const first = await st.services.handlers.printChunk(chunk(st, [{ itemId: 4, orderSn: sn }]), st.ctx);
    expect(first.outcomes[0]!.state).toBe('sent');
    const count = (await printedNumbers()).length;
    // The same item again (a stale queue, a second tab): the journal refuses it.
    const again = await st.services.handlers.printChunk(chunk(st, [{ itemId: 4, orderSn: sn }]), st.ctx);
    expect(again.outcomes).toMatchObject([{ state: 'blocked', reason: 'already_printed' }]);
    expect((await printedNumbers()).length).toBe(count);
    // An explicit reprint with a reason, with the number's payload: printed again.
    const announced = st.events.find(
      (e) => e.name === 'labelAnnounced' && (e.payload as { orderSn: string }).orderSn === sn,
    )!.payload as { waybillNo: string; envelope: string };
    const reprint = await st.services.handlers.printChunk(
      chunk(st, [
        {
          itemId: 4,
          orderSn: sn,
          prepared: { waybillNo: announced.waybillNo, envelope: announced.envelope },
          override: { kind: 'reprint', reason: '卡纸' },
        },
      ]),
      st.ctx,
    );
    expect(reprint.outcomes[0]!.state).toBe('sent');
    expect((await printedNumbers()).slice(-1)).toEqual([announced.waybillNo]);
  });

  it('refuses a calibration that would push the codes off the label when it is set, before any number is taken', async () => {
    await expect(
      st.services.handlers.updatePrinter(
        { id: st.printerId, patch: { template: '76x130', offsetMm: { x: 15, y: 0 } } },
        st.ctx,
      ),
    ).rejects.toMatchObject({ code: 'settings_invalid', message: expect.stringMatching(/校准偏移/) });
    const kept = (await st.services.handlers.listPrinters({}, st.ctx)).printers.find((p) => p.id === st.printerId)!;
    expect(kept.offsetMm).toEqual({ x: 0, y: 0 });
    const ok = await st.services.handlers.updatePrinter(
      { id: st.printerId, patch: { offsetMm: { x: 1.5, y: -1 } } },
      st.ctx,
    );
    expect(ok.offsetMm).toEqual({ x: 1.5, y: -1 });
    await st.services.handlers.updatePrinter({ id: st.printerId, patch: { offsetMm: { x: 0, y: 0 } } }, st.ctx);
  });

  it('a reprint needs the PIN when the lock is on', async () => {
    await st.services.handlers.setSettings({ reprintPin: { pin: '2468' } }, st.ctx);
    const sn = scenario.sns[2]!;
    const announced = st.events.find(
      (e) => e.name === 'labelAnnounced' && (e.payload as { orderSn: string }).orderSn === sn,
    )!.payload as { waybillNo: string; envelope: string };
    const item = {
      itemId: 4,
      orderSn: sn,
      prepared: { waybillNo: announced.waybillNo, envelope: announced.envelope },
      override: { kind: 'reprint' as const, reason: '卡纸' },
    };
    await expect(st.services.handlers.printChunk(chunk(st, [item]), st.ctx)).rejects.toMatchObject({
      code: 'pin_required',
    });
    await expect(st.services.handlers.printChunk(chunk(st, [item], { pin: '1111' }), st.ctx)).rejects.toMatchObject({
      code: 'pin_wrong',
    });
    const ok = await st.services.handlers.printChunk(chunk(st, [item], { pin: '2468' }), st.ctx);
    expect(ok.outcomes[0]!.state).toBe('sent');
    await st.services.handlers.setSettings({ reprintPin: { pin: null, currentPin: '2468' } }, st.ctx);
  });

  describe('offline (the hub stops answering)', () => {
    let page: PulledPage;
    let prepared: Map<string, { waybillNo: string; envelope: string }>;
    const sns = () => scenario.sns.slice(10, 16);

    beforeAll(async () => {
      // While online: a pull (sealed snapshots) and numbers taken for the orders.
      page = await st.services.handlers.pullFeed({ cursor: null, limit: 1000 }, st.ctx);
      const res = await st.services.handlers.prepareWaybills({ orderSns: sns(), courier: 'ZTO' }, st.ctx);
      prepared = new Map(
        res.results.flatMap((r) =>
          r.status === 'issued' ? [[r.orderSn, { waybillNo: r.waybillNo, envelope: r.envelope }]] : [],
        ),
      );
      expect(prepared.size).toBe(6);
      await hub.app.close();
    });

    const item = (sn: string, itemId: number, over: Record<string, unknown> = {}) => {
      const snap = page.changes.find((c) => c.orderSn === sn)!;
      return {
        itemId,
        orderSn: sn,
        prepared: prepared.get(sn)!,
        snapshot: {
          orderSn: sn,
          version: snap.version,
          printable: snap.printable,
          reason: snap.reason,
          addressVersion: snap.addressVersion,
          claimStationId: snap.waybill?.claim?.stationId ?? null,
          seal: snap.seal,
        },
        ...over,
      };
    };

    it('under grace, prints prepared orders synced within the period, marked unverified', async () => {
      const [a] = sns();
      const res = await st.services.handlers.printChunk(
        chunk(st, [item(a!, 20)], { freshness: page.freshness }),
        st.ctx,
      );
      expect(res.online).toBe(false);
      expect(res.outcomes).toMatchObject([{ state: 'sent', unverified: true, waybillNo: prepared.get(a!)!.waybillNo }]);
    });

    it('under grace, defers orders without a prepared number, and refuses a snapshot the renderer altered', async () => {
      const [, b, c] = sns();
      const before = (await settled()).length;
      const unprepared = scenario.sns[30]!;
      const res = await st.services.handlers.printChunk(
        chunk(
          st,
          [
            { itemId: 21, orderSn: unprepared },
            // "printable: true" on a snapshot main sealed otherwise, or an edited address version: the seal breaks.
            item(b!, 22, { snapshot: { ...item(b!, 22).snapshot, addressVersion: 7 } }),
            item(c!, 23, { snapshot: { ...item(c!, 23).snapshot, seal: 'forged' } }),
          ],
          { freshness: page.freshness },
        ),
        st.ctx,
      );
      expect(res.outcomes.map((o) => o.state)).toEqual(['deferred', 'failed', 'failed']);
      expect(res.outcomes[0]).toMatchObject({ reason: 'not_prepared' });
      expect((await settled()).length).toBe(before);
    });

    it('under grace, defers orders whose last sync is older than the period', async () => {
      const [, , , d] = sns();
      st.shift(31 * 60_000);
      try {
        const before = (await settled()).length;
        const res = await st.services.handlers.printChunk(
          chunk(st, [item(d!, 24)], { freshness: page.freshness }),
          st.ctx,
        );
        expect(res.outcomes).toMatchObject([{ state: 'deferred', reason: 'offline_stale' }]);
        expect((await settled()).length).toBe(before);
      } finally {
        st.shift(-31 * 60_000);
      }
    });

    it('under the block policy, prints nothing at all', async () => {
      await st.services.handlers.setSettings({ offlinePolicy: { mode: 'block' } }, st.ctx);
      const [, , , , e, f] = sns();
      const before = (await settled()).length;
      const res = await st.services.handlers.printChunk(
        chunk(st, [item(e!, 25), item(f!, 26)], { freshness: page.freshness }),
        st.ctx,
      );
      expect(res.outcomes.map((o) => [o.state, o.state === 'deferred' ? o.reason : null])).toEqual([
        ['deferred', 'offline'],
        ['deferred', 'offline'],
      ]);
      expect((await settled()).length).toBe(before);
    });
  });
});
