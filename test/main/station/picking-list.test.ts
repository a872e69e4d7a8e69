/**
 * 备货单: the batch's SKU totals as an A4 PDF, for a preview, a file, or a system printer (a label
 * printer is refused with a reason). Read back with pdftotext: the rows and totals are on the page.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSecretStore } from '../../../main/station/secret-store.ts';
import { createStationServices, type CallContext, type StationServices } from '../../../main/station/services.ts';
import { pdfPageCount, pdfText } from '../../support/decode.ts';
import { tempDir } from '../../support/station.ts';

const ctx: CallContext = { connectionId: 't', emit: () => undefined, signal: new AbortController().signal };
const rows = [
  { skuId: 'SKU-T01', goodsName: '纯棉T恤', spec: '白色/XL', quantity: 12, orderCount: 9 },
  { skuId: 'SKU-P02', goodsName: '运动短裤', spec: '黑色/L', quantity: 5, orderCount: 5 },
];

describe('picking list', () => {
  const tmp = tempDir('daifa-picking-');
  let services: StationServices;
  beforeAll(async () => {
    services = await createStationServices({
      dataDir: tmp.dir,
      host: 'browser',
      secrets: fileSecretStore(`${tmp.dir}/s.json`),
    });
  });
  afterAll(async () => {
    await services.close();
    tmp.cleanup();
  });

  it('renders the SKU rows and the totals, in Chinese, as a PDF preview', async () => {
    const res = await services.handlers.pickingList({ title: '批次 11-30 上午', rows, output: 'preview' }, ctx);
    const pdf = Buffer.from(res.pdfBase64!, 'base64');
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('备货单');
    expect(text).toContain('纯棉T恤');
    expect(text).toContain('SKU-P02');
    expect(text).toContain('共 2 个 SKU，17 件');
  });

  it('saves a file, and spreads many SKUs over pages with the header repeated', async () => {
    const many = Array.from({ length: 120 }, (_, i) => ({
      skuId: `SKU-${i}`,
      goodsName: `商品${i}`,
      spec: '默认',
      quantity: 1,
      orderCount: 1,
    }));
    const res = await services.handlers.pickingList({ title: '大批次', rows: many, output: 'file' }, ctx);
    const pdf = readFileSync(res.path!);
    expect(await pdfPageCount(pdf)).toBeGreaterThan(1);
    expect((await pdfText(pdf)).match(/商品名称/g)!.length).toBe(await pdfPageCount(pdf));
  });

  it('refuses to send an A4 list to a label printer', async () => {
    const p = await services.handlers.addPrinter(
      { name: '标签机', url: 'tcp://127.0.0.1:9?lang=tspl', format: 'tspl' },
      ctx,
    );
    await expect(
      services.handlers.pickingList({ title: 'x', rows, output: 'printer', printerId: p.id }, ctx),
    ).rejects.toMatchObject({
      code: 'printer_error',
      causeCode: 'unsupported',
    });
  });
});
