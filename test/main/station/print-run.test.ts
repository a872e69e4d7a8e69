import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubClient, HubApiError, HubUnreachableError } from '../../../shared/api/client.ts';
import { CORE_ENDPOINTS } from '../../../shared/api/endpoints.ts';
import { FLOW_ENDPOINTS } from '../../../shared/api/flow.ts';
import { pdfBackend } from '../../../main/print/backends/pdf.ts';
import { openTransport, type Transport } from '../../../main/print/transports/index.ts';
import {
  printChunk,
  pushOutbox,
  queueReturns,
  type LabelOutcome,
  type Outbox,
} from '../../../main/station/print-run.ts';
import { TEMPLATE_76x130 } from '../../../shared/label/index.ts';
import { decodePdfBarcodes, pdfText, tempDir } from '../../support/decode.ts';
import {
  allocate,
  boundPair,
  createOrders,
  makeOrder,
  platformEvent,
  startTestHub,
  type TestHub,
  type TestShop,
  type TestStation,
} from '../../server/support/hub.ts';

/** A transport that records what reached "the printer", on top of the real virtual printer. */
function recording(inner: Transport): Transport & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return Object.assign(Object.create(inner) as Transport, {
    sent,
    send: async (bytes: Uint8Array) => {
      sent.push(bytes);
      await inner.send(bytes);
    },
    close: () => inner.close(),
  });
}

describe('station print run: guard → waybill → main-only decrypt → label → printer (real hub over HTTP)', () => {
  let hub: TestHub;
  let merchant: TestShop;
  let station: TestStation;
  const out = tempDir('daifa-station-');

  beforeAll(async () => {
    hub = await startTestHub({ dialect: 'sqlite' });
    const pair = await boundPair(hub);
    merchant = pair.merchant;
    station = pair.station;
  });
  afterAll(async () => {
    await hub?.close();
    out.cleanup();
  });

  const client = () => createHubClient({ baseUrl: hub.url, token: station.token });
  async function freshAllocated(n: number): Promise<string[]> {
    const sns = await createOrders(hub, merchant, n);
    await allocate(hub, merchant, station.factoryShopId, sns);
    return sns;
  }

  it('prints normal orders with scannable barcodes and blocks abnormal ones before the printer', async () => {
    const [ok1, ok2, afterSale, audit] = await freshAllocated(4);
    await platformEvent(hub, afterSale!, { type: 'after_sale_opened' });
    await platformEvent(hub, audit!, { type: 'audit_hold' });
    const printer = recording(openTransport(`file://${out.dir}/a?ext=pdf`));
    const events: LabelOutcome[] = [];
    const outcomes = await printChunk(
      {
        hub: client(),
        payloadKey: station.payloadKey,
        backend: pdfBackend,
        transport: printer,
        renderOptions: {},
        onLabel: (e) => events.push(e),
      },
      [ok1!, afterSale!, ok2!, audit!, 'NO-SUCH-ORDER'],
      'ZTO',
    );
    await printer.close();

    const bySn = new Map(outcomes.map((o) => [o.orderSn, o]));
    expect(bySn.get(afterSale!)).toMatchObject({ state: 'blocked', reason: 'after_sale' });
    // After-sale and audit un-allocate automatically (M3), so the hub reports the cancelled allocation.
    expect(bySn.get(audit!)).toMatchObject({ state: 'blocked' });
    expect(bySn.get('NO-SUCH-ORDER')).toMatchObject({ state: 'blocked', reason: 'not_allocated' });
    expect(events).toHaveLength(5);
    // Only the two normal orders reached the printer, each as its own job.
    expect(printer.sent).toHaveLength(2);
    const files = (await readdir(path.join(out.dir, 'a'))).sort();
    expect(files).toHaveLength(2);
    const printed = outcomes.filter((o) => o.state === 'sent');
    const decoded = await Promise.all(
      files.map(async (f) => (await decodePdfBarcodes(await readFile(path.join(out.dir, 'a', f))))[0]!),
    );
    const codes = decoded.map((page) => page.find((s) => s.type === 'CODE-128')?.data).sort();
    expect(codes).toEqual(printed.map((p) => (p.state === 'sent' ? p.waybillNo : '')).sort());
    // The courier's 集包地 and 件数 from the sealed payload are on the label.
    const text = (await pdfText(await readFile(path.join(out.dir, 'a', files[0]!)))).replace(/\s+/g, '');
    expect(text).toMatch(/集\S*转运中心\d{6}/);
    expect(text).toContain('件数：1/1');
  }, 60_000);

  it('refuses a template the courier’s numbers cannot scan on before any number is issued', async () => {
    const [sn] = await freshAllocated(1);
    const paths: string[] = [];
    const counting: typeof fetch = async (input, init) => {
      paths.push(new URL(String(input)).pathname);
      return fetch(input, init);
    };
    // A label whose barcode boxes are 25 mm wide: YTO's YT + 13 digits needs 36 mm at 2-dot bars.
    const narrow = {
      ...TEMPLATE_76x130,
      id: 'narrow-codes',
      elements: TEMPLATE_76x130.elements.map((e) => (e.kind === 'code128' ? { ...e, x: 25.5, w: 25 } : e)),
    };
    const printer = recording(openTransport(`file://${out.dir}/narrow?ext=pdf`));
    const run = printChunk(
      {
        hub: createHubClient({ baseUrl: hub.url, token: station.token, fetch: counting }),
        payloadKey: station.payloadKey,
        backend: pdfBackend,
        transport: printer,
        renderOptions: { template: narrow },
      },
      [sn!],
      'YTO',
    );
    await expect(run).rejects.toMatchObject({ code: 'BARCODE_TOO_LONG' });
    await expect(run).rejects.toThrow(/运单号 YT0{13}（15 位）在 narrow-codes 面单上放不下能扫描的条码/);
    expect(paths).toEqual([]); // no guard call, no waybill issued
    expect(printer.sent).toEqual([]);
    await printer.close();
  });

  it('an address change after the waybill was issued blocks the print (M7)', async () => {
    const [sn] = await freshAllocated(1);
    await client().call(FLOW_ENDPOINTS.issueWaybills, { body: { orderSns: [sn!], courier: 'YTO' } });
    const moved = makeOrder().recipient;
    await platformEvent(hub, sn!, { type: 'address_changed', recipient: moved });
    const printer = recording(openTransport(`file://${out.dir}/b?ext=pdf`));
    const outcomes = await printChunk(
      { hub: client(), payloadKey: station.payloadKey, backend: pdfBackend, transport: printer, renderOptions: {} },
      [sn!],
      'YTO',
    );
    expect(outcomes).toEqual([{ orderSn: sn, state: 'blocked', reason: 'address_changed' }]);
    expect(printer.sent).toHaveLength(0);
  });

  it('a payload sealed for another station cannot be printed here', async () => {
    const other = await boundPair(hub);
    const [sn] = await createOrders(hub, other.merchant, 1);
    await allocate(hub, other.merchant, other.station.factoryShopId, [sn!]);
    const printer = recording(openTransport(`file://${out.dir}/c?ext=pdf`));
    const outcomes = await printChunk(
      {
        hub: createHubClient({ baseUrl: hub.url, token: other.station.token }),
        payloadKey: station.payloadKey, // the wrong key
        backend: pdfBackend,
        transport: printer,
        renderOptions: {},
      },
      [sn!],
      'STO',
    );
    expect(outcomes[0]).toMatchObject({ orderSn: sn, state: 'failed' });
    expect(printer.sent).toHaveLength(0);
  });

  it('a payload swapped onto another order is refused, not printed', async () => {
    const [a, b] = await freshAllocated(2);
    // A hub answer (or a man in the middle) that swaps the two sealed payloads: both still decrypt.
    const swapping: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input).endsWith('/v1/station/waybills')) return res;
      const body = (await res.json()) as { results: Array<{ printPayload?: string }> };
      const [x, y] = body.results;
      [x!.printPayload, y!.printPayload] = [y!.printPayload, x!.printPayload];
      return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
    };
    const printer = recording(openTransport(`file://${out.dir}/e?ext=pdf`));
    const outcomes = await printChunk(
      {
        hub: createHubClient({ baseUrl: hub.url, token: station.token, fetch: swapping }),
        payloadKey: station.payloadKey,
        backend: pdfBackend,
        transport: printer,
        renderOptions: {},
      },
      [a!, b!],
      'ZTO',
    );
    expect(outcomes.map((o) => o.state)).toEqual(['failed', 'failed']);
    expect(printer.sent).toHaveLength(0);
  });

  it('returns the tracking numbers exactly once (回传运单号)', async () => {
    const sns = await freshAllocated(3);
    const printer = recording(openTransport(`file://${out.dir}/d?ext=pdf`));
    const outcomes = await printChunk(
      { hub: client(), payloadKey: station.payloadKey, backend: pdfBackend, transport: printer, renderOptions: {} },
      sns,
      'JTSD',
    );
    const sent = outcomes.filter((o): o is Extract<LabelOutcome, { state: 'sent' }> => o.state === 'sent');
    expect(sent).toHaveLength(3);
    const outbox: Outbox = { clientId: `test-${station.stationId}-returns`, nextId: 1, pending: [] };
    queueReturns(outbox, sent);
    expect(outbox.pending.map((m) => m.id)).toEqual([1, 2, 3]);
    // The first answer is lost: the same mutations are pushed again and come back with their stored results.
    const lost = structuredClone(outbox);
    await pushOutbox(client(), lost);
    const results = await pushOutbox(client(), outbox);
    expect(results.map((r) => r.result.status)).toEqual(['applied', 'applied', 'applied']);
    expect(outbox.pending).toEqual([]);
    expect(outbox.nextId).toBe(4);
    // Returned orders are no longer printable without an explicit reprint.
    const check = await client().call(CORE_ENDPOINTS.check, { body: { orderSns: sns } });
    expect(check.results.map((r) => r.reason)).toEqual(['waybill_returned', 'waybill_returned', 'waybill_returned']);
  }, 60_000);

  it('the shared client maps hub errors and unreachable hubs to typed errors', async () => {
    const merchantClient = createHubClient({ baseUrl: hub.url, token: merchant.token });
    const err = await merchantClient
      .call(CORE_ENDPOINTS.createBinding, { body: { factoryShopId: 999_999 } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubApiError);
    expect((err as HubApiError).code).toBe('FACTORY_NOT_FOUND');
    expect((err as HubApiError).message).toBe('请输入正确的厂家店铺ID');
    const down = createHubClient({ baseUrl: 'http://127.0.0.1:1', token: 'x', timeoutMs: 2000 });
    await expect(down.call(CORE_ENDPOINTS.feed, { query: {} })).rejects.toBeInstanceOf(HubUnreachableError);
  });
});
