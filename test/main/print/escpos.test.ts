/**
 * ESC/POS proof: the bytes go through the real TCP transport to a listener standing in for the
 * printer; our parser (test/support/escpos-parse.ts) reads them back command by command — the Code128
 * and QR commands must carry the right contents, the Chinese text must decode as GB18030 — and the
 * raster mode's GS v 0 image must scan with zbarimg.
 */
import { describe, expect, it } from 'vitest';
import { SAMPLE_LABEL, sampleLabels } from '../../../shared/label/index.ts';
import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from '../../../main/print/backend.ts';
import {
  createEscposBackend,
  escposBackend,
  escposCode128Data,
  escposRasterBackend,
  wrapColumns,
} from '../../../main/print/backends/escpos.ts';
import { openTransport } from '../../../main/print/transports/index.ts';
import { monoToPng } from '../../../main/print/render/index.ts';
import { zbarDecodeBuffer } from '../../support/decode.ts';
import { qrBytes } from '../../support/qr-raw.ts';
import {
  decodeEscposCode128,
  parseEscpos,
  printedText,
  stackRasters,
  type EscposEvent,
} from '../../support/escpos-parse.ts';
import { startRawListener } from '../../support/raw-listener.ts';
import { uglyLabels } from '../../support/ugly-labels.ts';

function opts(over: Partial<RenderOptions> = {}): RenderOptions {
  return { ...DEFAULT_RENDER_OPTIONS, ...over };
}

function only<K extends EscposEvent['kind']>(events: EscposEvent[], kind: K): Extract<EscposEvent, { kind: K }>[] {
  return events.filter((e): e is Extract<EscposEvent, { kind: K }> => e.kind === kind);
}

/** Display width in Font A columns (CJK = 2). */
function cols(s: string): number {
  return [...s].reduce((n, c) => n + (c.codePointAt(0)! < 0x80 ? 1 : 2), 0);
}

describe('ESC/POS text mode (GB18030 text, native Code128 and QR)', () => {
  it('arrives intact at a TCP 9100 listener and parses back to the label', async () => {
    const out = await escposBackend.render([SAMPLE_LABEL], opts());
    const listener = await startRawListener();
    try {
      const t = openTransport(listener.url);
      await t.send(out.bytes);
      await t.close();
      await listener.waitForEnded(1);
      expect(listener.bytes().equals(Buffer.from(out.bytes))).toBe(true);
    } finally {
      await listener.close();
    }
    const events = parseEscpos(out.bytes);
    expect(events[0]).toEqual({ kind: 'init' });
    expect(events).toContainEqual({ kind: 'chinese', on: true });

    // The main barcode and, lower down, the same number again, shorter.
    const [barcode, second, ...moreBarcodes] = only(events, 'barcode');
    expect(moreBarcodes).toEqual([]);
    expect(barcode).toMatchObject({ system: 73, data: SAMPLE_LABEL.waybillNo, hri: 2 });
    expect(second).toMatchObject({ system: 73, data: SAMPLE_LABEL.waybillNo, moduleDots: barcode!.moduleDots });
    expect(second!.heightDots).toBeLessThan(barcode!.heightDots);
    expect(barcode!.moduleDots).toBeGreaterThanOrEqual(2);
    expect(barcode!.moduleDots).toBeLessThanOrEqual(6);

    const [qr, ...moreQr] = only(events, 'qr');
    expect(moreQr).toEqual([]);
    expect(qr).toMatchObject({ data: SAMPLE_LABEL.qrPayload, model: 2, ecc: 0x31 });

    const text = printedText(events);
    for (const s of [
      '中通快递',
      '310-W01 05',
      '沪上海 浦东',
      '集 上海转运中心 310517',
      '已验视    件数：1/1',
      '打印时间：2026-05-27 10:30',
      '张*丰',
      '138****5678',
      '祖冲之路',
      '义乌小商品代发仓',
      '纯棉T恤 白色/XL ×2',
      SAMPLE_LABEL.orderSn,
    ]) {
      expect(text).toContain(s);
    }
    // Nothing wider than the 80 mm paper (48 Font-A columns at normal size).
    const normalLines = text.split('\n').filter((l) => !['中通快递', '310-W01 05', '沪上海 浦东'].includes(l));
    for (const line of normalLines) expect(cols(line), line).toBeLessThanOrEqual(48);
    expect(only(events, 'cut')).toHaveLength(1);
    console.log(`[escpos] text mode: ${out.bytes.length} bytes per label`);
  });

  it('encodes Code128 with code set C for digit runs and {{ for a brace', () => {
    const decode = (v: string) => decodeEscposCode128(escposCode128Data(v));
    expect([...escposCode128Data('78912345678901')]).toEqual([0x7b, 0x43, 78, 91, 23, 45, 67, 89, 1]);
    expect([...escposCode128Data('YT1234567')].slice(0, 5)).toEqual([0x7b, 0x42, 0x59, 0x54, 0x31]);
    for (const v of ['78912345678901', 'YT1234567', 'JT{"^~_>0012345678', 'A', '12', '123']) expect(decode(v)).toBe(v);
  });

  it('wraps by display width, breaking Latin words at spaces', () => {
    expect(wrapColumns('中'.repeat(30), 48)).toEqual(['中'.repeat(24), '中'.repeat(6)]);
    expect(wrapColumns('Room 1203 Building A7 Zhangjiang Hi-Tech Park Shanghai', 20)).toEqual([
      'Room 1203 Building',
      'A7 Zhangjiang',
      'Hi-Tech Park',
      'Shanghai',
    ]);
  });

  it('copies repeat the label; several labels each get their codes', async () => {
    const labels = sampleLabels(3, 5);
    const events = parseEscpos((await escposBackend.render(labels, opts({ copies: 2 }))).bytes);
    expect(only(events, 'barcode').map((b) => b.data)).toEqual(labels.flatMap((l) => Array(4).fill(l.waybillNo)));
    expect(only(events, 'qr').map((q) => q.data)).toEqual(labels.flatMap((l) => [l.qrPayload, l.qrPayload]));
    expect(only(events, 'cut')).toHaveLength(6);
  });

  it('ugly input: never throws, codes exact, glyphs outside GB18030 double-byte shown as □ and reported', async () => {
    for (const { name, data } of uglyLabels()) {
      const out = await escposBackend.render([data], opts());
      const events = parseEscpos(out.bytes);
      expect(only(events, 'barcode')[0]?.data, name).toBe(data.waybillNo);
      expect(only(events, 'qr')[0]?.data, name).toBe(data.qrPayload); // byte length right for non-ASCII too
      const text = printedText(events);
      if (name === 'emoji and rare characters') {
        expect(text).toContain('王□□');
        expect(new Set(out.reports[0]!.missingGlyphs)).toEqual(new Set(['😀', '𠀾', '㐂', '🏠', '🎁']));
      }
      if (name === 'special characters in codes' || name === '30-item order')
        expect(out.reports[0]!.missingGlyphs, name).toEqual([]);
      // Whatever was replaced came from the input, and shows as □ on the paper.
      const input = JSON.stringify(data);
      for (const ch of out.reports[0]!.missingGlyphs) expect(input, name).toContain(ch);
      expect(text.includes('□'), name).toBe(out.reports[0]!.missingGlyphs.length > 0);
      if (name === '30-item order') {
        // Summarised to fit six lines, ending with the total piece count (30 items of 1–4 pieces).
        const total = data.items.reduce((n, i) => n + i.quantity, 0);
        expect(text).toContain(`等${total}件`);
        expect(text).not.toContain('商品30 ');
        const end = text.indexOf(data.remark ? '备注：' : '已验视');
        const goodsLines = text.slice(text.indexOf('物品：'), end).trimEnd().split('\n');
        expect(goodsLines.length).toBeLessThanOrEqual(6);
      }
      for (const line of text.split('\n')) expect(cols(line), `${name}: ${line}`).toBeLessThanOrEqual(48);
    }
  });
});

describe('ESC/POS raster mode (GS v 0)', () => {
  for (const template of ['100x180', '76x130']) {
    it(`${template}: the raster scans with zbarimg and fits 576 dots`, async () => {
      const out = await escposRasterBackend.render([SAMPLE_LABEL], opts({ template }));
      const events = parseEscpos(out.bytes);
      expect(only(events, 'barcode')).toEqual([]); // everything is in the image
      const image = stackRasters(events);
      expect(image.widthDots).toBeLessThanOrEqual(576);
      expect(image.heightDots).toBeGreaterThan(700);
      const png = monoToPng(image);
      const symbols = await zbarDecodeBuffer(png);
      expect(symbols).toContainEqual({ type: 'CODE-128', data: SAMPLE_LABEL.waybillNo });
      expect(symbols).toContainEqual({ type: 'QR-Code', data: SAMPLE_LABEL.qrPayload });
      console.log(`[escpos] raster mode ${template}: ${out.bytes.length} bytes per label`);
    });
  }

  it('58 mm paper (384 dots) and non-ASCII QR still scan; a number too long for 2-dot bars there is refused', async () => {
    const ugly = uglyLabels().find((l) => l.name === 'special characters in codes')!.data;
    const narrow = createEscposBackend('raster', 384);
    // 76 mm scaled onto 48 mm of paper (128 dpi): 18 mixed characters would need bars under 2 dots.
    await expect(narrow.render([ugly], opts({ template: '76x130' }))).rejects.toMatchObject({
      code: 'BARCODE_TOO_LONG',
    });
    const data = { ...ugly, waybillNo: SAMPLE_LABEL.waybillNo };
    const out = await narrow.render([data], opts({ template: '76x130' }));
    const image = stackRasters(parseEscpos(out.bytes));
    expect(image.widthDots).toBeLessThanOrEqual(384);
    const png = monoToPng(image);
    expect(await zbarDecodeBuffer(png)).toContainEqual({ type: 'CODE-128', data: data.waybillNo });
    expect(qrBytes(png)).toBe(data.qrPayload);
  });
});
