/**
 * Orders turning abnormal while they print (M7, D4, D6): during a 2,000-label batch the platform puts
 * orders under after-sale or audit, changes addresses and cancels allocations, 10 times a second.
 * Not one abnormal order may be printed without a block or an interception alert:
 * - blocked by the guard before printing;
 * - printed before it turned abnormal and returned before it did (M7: after the return it is handled offline);
 * - printed, and its return refused with an interception alert (pull the parcel);
 * - an address change: printed with a new number carrying the new address.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelAllocation, platformEvent } from '../server/support/hub.ts';
import { mulberry32 } from '../../server/seed.ts';
import { startRawListener, type RawListener } from '../support/raw-listener.ts';
import { startHubProcess, startStack, tempDir, type HubProcess, type StationStack } from '../support/station.ts';
import { factoryWithOrders, type FactoryScenario } from '../support/station-scenario.ts';
import { completeLabels } from '../support/tspl-decode.ts';
import * as H from '../support/harness-driver.ts';

const LABELS = Number(process.env.DAIFA_FLIP_LABELS ?? 2000);
const READY = { query: Uint8Array.from([0x1b, 0x21, 0x3f]), reply: Uint8Array.from([0x00]) };
type FlipKind = 'after_sale' | 'audit_hold' | 'address_changed' | 'allocation_cancelled';

describe(`orders turning abnormal during a ${LABELS}-label batch, 10 per second`, () => {
  let hub: HubProcess;
  let scenario: FactoryScenario;
  let printer: RawListener;
  let stack: StationStack;
  const tmp = tempDir('daifa-flips-');
  const rng = mulberry32(7);

  beforeAll(async () => {
    // The flips stand for the whole platform (many merchants and shops), not one merchant's pace:
    // one merchant's bulk limit (120 a minute) is not what this test is about.
    hub = await startHubProcess({ env: { HUB_RATE_LIMIT_BULK: 'off' } });
    scenario = await factoryWithOrders(hub.asTestHub(), { orders: LABELS });
    printer = await startRawListener({ respond: READY });
    stack = await startStack({ hub, code: await scenario.pairingCode(), name: '打印站 S', dir: tmp.dir });
    await H.waitForOrders(stack.page, LABELS, 120_000);
  });
  afterAll(async () => {
    await stack?.close();
    await printer?.close();
    await hub?.close();
    tmp.cleanup();
  });

  it('prints no abnormal order without a block or an interception alert', async () => {
    const page = stack.page;
    const printerId = await H.addPrinter(page, { name: '标签机', url: `${printer.url}?lang=tspl`, format: 'tspl' });
    const sns = await H.printableSns(page);
    expect(sns).toHaveLength(LABELS);
    const batchId = await H.createBatch(page, { orderSns: sns, printerId, courier: 'ZTO' });
    const run = H.runBatch(page, batchId);

    const flips = new Map<string, { kind: FlipKind; at: number }>();
    const kinds: FlipKind[] = ['after_sale', 'audit_hold', 'address_changed', 'allocation_cancelled'];
    let done = false;
    // Either way the flips stop; the run's own failure is reported where it is awaited below.
    void run.then(
      () => (done = true),
      () => (done = true),
    );
    const th = hub.asTestHub();
    while (!done) {
      const tick = Date.now();
      const sn = sns[Math.floor(rng() * sns.length)]!;
      if (!flips.has(sn)) {
        const kind = kinds[Math.floor(rng() * kinds.length)]!;
        if (kind === 'after_sale') await platformEvent(th, sn, { type: 'after_sale_opened' });
        else if (kind === 'audit_hold') await platformEvent(th, sn, { type: 'audit_hold' });
        else if (kind === 'address_changed') {
          await platformEvent(th, sn, {
            type: 'address_changed',
            recipient: {
              name: '新收件人',
              phone: '13700000000',
              province: '浙江省',
              city: '宁波市',
              district: '鄞州区',
              detail: '新地址路1号',
            },
          });
        } else await cancelAllocation(th, scenario.merchant, [sn]);
        flips.set(sn, { kind, at: Date.now() });
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - tick))));
    }
    await run;
    expect((await H.batch(page, batchId)).state).toBe('done');
    await H.waitOutboxDrained(page, 60_000);

    const items = new Map((await H.items(page, batchId)).map((i) => [i.orderSn, i]));
    const alerts = new Set((await H.alerts(page)).map((a) => `${a.orderSn}/${a.waybillNo}`));
    const onPaper = new Set(completeLabels(printer.connections));
    const db = new Database(hub.databaseUrl.replace(/^sqlite:/, ''), { readonly: true });
    const counts = { blocked: 0, returnedBefore: 0, intercepted: 0, newAddress: 0, violations: [] as string[] };
    try {
      const waybill = db.prepare(`select status, returned_at, address_version from waybills where waybill_no = ?`);
      const order = db.prepare(`select address_version from orders where sn = ?`);
      for (const [sn, flip] of flips) {
        const item = items.get(sn)!;
        if (item.state === 'blocked') {
          counts.blocked++;
          expect(onPaper.has(item.waybillNo ?? '')).toBe(false);
          continue;
        }
        expect(item.state).toBe('sent');
        const w = waybill.get(item.waybillNo) as {
          status: string;
          returned_at: string | null;
          address_version: number;
        };
        const current = (order.get(sn) as { address_version: number }).address_version;
        if (alerts.has(`${sn}/${item.waybillNo}`)) counts.intercepted++;
        else if (w.status === 'returned' && flip.kind === 'address_changed' && w.address_version === current)
          counts.newAddress++;
        else if (w.status === 'returned' && Date.parse(w.returned_at!) <= flip.at) counts.returnedBefore++;
        else counts.violations.push(`${sn} ${flip.kind}: printed ${item.waybillNo}, hub ${w.status}, no alert`);
      }
    } finally {
      db.close();
    }
    console.info(
      `status flips: ${flips.size} orders turned abnormal during ${LABELS} labels — ${counts.blocked} blocked before printing, ` +
        `${counts.returnedBefore} printed and returned before they turned, ${counts.intercepted} intercepted (alert), ` +
        `${counts.newAddress} printed with the new address; violations: ${counts.violations.length}`,
    );
    expect(flips.size).toBeGreaterThan(100);
    expect(counts.violations).toEqual([]);
    expect(counts.blocked).toBeGreaterThan(0);
  });
});
