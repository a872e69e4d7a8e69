/**
 * One label per order whatever the number of stations in a factory (D10, DESIGN.md §3): two stations,
 * each its own Node process, Chromium profile and printer, select the same orders at the same moment.
 * Every order is printed by exactly one of them; the other shows `printing_elsewhere` with the first
 * one's name. A takeover with a reason moves an order (with a new number); the first station's late
 * return of the old number raises an interception alert there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRawListener, type RawListener } from '../support/raw-listener.ts';
import { startHubProcess, startStack, tempDir, type HubProcess, type StationStack } from '../support/station.ts';
import { factoryWithOrders, type FactoryScenario } from '../support/station-scenario.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { completeLabels } from '../support/tspl-decode.ts';
import * as H from '../support/harness-driver.ts';

const READY = { query: Uint8Array.from([0x1b, 0x21, 0x3f]), reply: Uint8Array.from([0x00]) };

describe('two stations of one factory', () => {
  let hub: HubProcess;
  let proxyA: TcpProxy;
  let scenario: FactoryScenario;
  let printerA: RawListener;
  let printerB: RawListener;
  let a: StationStack;
  let b: StationStack;
  let pa: string;
  let pb: string;
  const tmp = tempDir('daifa-two-');

  beforeAll(async () => {
    hub = await startHubProcess();
    proxyA = await startTcpProxy(hub.port);
    scenario = await factoryWithOrders(hub.asTestHub(), { orders: 80 });
    printerA = await startRawListener({ respond: READY });
    printerB = await startRawListener({ respond: READY });
    a = await startStack({
      hub,
      hubUrl: proxyA.url,
      code: await scenario.pairingCode(),
      name: '一号打印站',
      dir: `${tmp.dir}/a`,
    });
    b = await startStack({ hub, code: await scenario.pairingCode(), name: '二号打印站', dir: `${tmp.dir}/b` });
    await Promise.all([H.waitForOrders(a.page, 80), H.waitForOrders(b.page, 80)]);
    pa = await H.addPrinter(a.page, { name: 'A', url: `${printerA.url}?lang=tspl`, format: 'tspl' });
    pb = await H.addPrinter(b.page, { name: 'B', url: `${printerB.url}?lang=tspl`, format: 'tspl' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await printerA?.close();
    await printerB?.close();
    await proxyA?.close();
    await hub?.close();
    tmp.cleanup();
  });

  it('the same 40 orders at the same moment: each printed by exactly one station, the other told who', async () => {
    const sns = scenario.sns.slice(0, 40);
    const [ba, bb] = await Promise.all([
      H.createBatch(a.page, { orderSns: sns, printerId: pa, courier: 'ZTO' }),
      H.createBatch(b.page, { orderSns: sns, printerId: pb, courier: 'ZTO' }),
    ]);
    await Promise.all([H.runBatch(a.page, ba), H.runBatch(b.page, bb)]);
    const [ia, ib] = await Promise.all([H.items(a.page, ba), H.items(b.page, bb)]);
    const sentA = new Set(ia.filter((i) => i.state === 'sent').map((i) => i.orderSn));
    const sentB = new Set(ib.filter((i) => i.state === 'sent').map((i) => i.orderSn));
    expect([...sentA].filter((sn) => sentB.has(sn))).toEqual([]);
    expect(sentA.size + sentB.size).toBe(40);
    for (const [mine, theirs, otherName] of [
      [ia, sentB, '二号打印站'],
      [ib, sentA, '一号打印站'],
    ] as const) {
      for (const i of mine.filter((x) => theirs.has(x.orderSn))) {
        expect(i).toMatchObject({ state: 'blocked', reason: 'printing_elsewhere', claimedBy: { name: otherName } });
        expect(i.message).toContain(otherName);
      }
    }
    const paperA = completeLabels(printerA.connections);
    const paperB = completeLabels(printerB.connections);
    expect(paperA.filter((n) => paperB.includes(n))).toEqual([]);
    expect(paperA.length + paperB.length).toBe(40);
    await Promise.all([H.waitOutboxDrained(a.page), H.waitOutboxDrained(b.page)]);
  });

  it('a takeover with a reason moves the order; the first station’s late return raises an interception alert', async () => {
    const sn = scenario.sns[60]!;
    // Station A prints the order while it cannot reach the hub (prepared first): its return waits.
    const batchA = await H.createBatch(a.page, { orderSns: [sn], printerId: pa, courier: 'ZTO' });
    await H.runner(a.page, 'prepare', batchA);
    proxyA.cut();
    await H.runBatch(a.page, batchA);
    const printedA = (await H.items(a.page, batchA))[0]!;
    expect(printedA).toMatchObject({ state: 'sent', unverified: true });
    expect(await H.outboxCount(a.page)).toBe(1);

    // Station B cannot print it: A holds the claim.
    await H.pullNow(b.page);
    const refused = await H.createBatch(b.page, { orderSns: [sn], printerId: pb, courier: 'ZTO' });
    await H.runBatch(b.page, refused);
    expect((await H.items(b.page, refused))[0]).toMatchObject({
      state: 'blocked',
      reason: 'printing_elsewhere',
      claimedBy: { name: '一号打印站' },
    });

    // B takes it over, with a reason: a new number, printed at B.
    const takeover = await H.createBatch(b.page, {
      orderSns: [sn],
      printerId: pb,
      courier: 'ZTO',
      takeoverReason: '一号站断网，由二号站接手',
    });
    await H.runBatch(b.page, takeover);
    const printedB = (await H.items(b.page, takeover))[0]!;
    expect(printedB.state).toBe('sent');
    expect(printedB.waybillNo).not.toBe(printedA.waybillNo);
    await H.waitOutboxDrained(b.page);

    // A comes back: its return of the old number is refused, and A must pull that parcel.
    proxyA.restore();
    await H.waitOutboxDrained(a.page, 30_000);
    expect(await H.alerts(a.page)).toMatchObject([
      { orderSn: sn, waybillNo: printedA.waybillNo, reason: 'taken_over', acked: 0 },
    ]);
    expect(await H.alerts(b.page)).toEqual([]);
  });
});
