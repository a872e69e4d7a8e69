/**
 * ZPL proof: zpl-renderer-js (Zebrash compiled to WebAssembly, offline) renders our ZPL to a PNG and
 * zbarimg must decode both the Code128 and the QR from it, at 203 and 300 dpi, for both templates.
 */
import { describe, expect, it } from 'vitest';
import { ready } from 'zpl-renderer-js';
import type { LabelData } from '../../../shared/label/index.ts';
import { getTemplate, mmToDots, SAMPLE_LABEL, sampleLabels } from '../../../shared/label/index.ts';
import { DEFAULT_RENDER_OPTIONS, type RenderOptions } from '../../../main/print/backend.ts';
import {
  crc16Xmodem,
  renderZpl,
  zplBackend,
  zplCode128Data,
  zplDarkness,
  zplFieldHex,
} from '../../../main/print/backends/zpl.ts';
import { prepareLabel } from '../../../main/print/backend.ts';
import { inflateSync } from 'node:zlib';
import { zbarDecodeBuffer } from '../../support/decode.ts';
import { qrBytes } from '../../support/qr-raw.ts';

import { uglyLabels } from '../../support/ugly-labels.ts';

function opts(over: Partial<RenderOptions> = {}): RenderOptions {
  return { ...DEFAULT_RENDER_OPTIONS, ...over };
}

async function renderPng(zpl: Uint8Array, widthMm: number, heightMm: number, dpi: number): Promise<Buffer> {
  const { api } = await ready;
  const b64 = await api.zplToBase64Async(new TextDecoder().decode(zpl), widthMm, heightMm, dpi === 300 ? 12 : 8);
  return Buffer.from(b64, 'base64');
}

async function scan(data: LabelData, o: RenderOptions) {
  const out = await zplBackend.render([data], o);
  const t = getTemplate(String(o.template));
  const png = await renderPng(out.bytes, t.widthMm, t.heightMm, o.dpi);
  return { out, png, text: new TextDecoder().decode(out.bytes), symbols: await zbarDecodeBuffer(png) };
}

describe('ZPL backend', () => {
  for (const template of ['100x180', '76x130']) {
    for (const dpi of [203, 300]) {
      it(`${template} @ ${dpi} dpi renders and both codes scan`, async () => {
        const t = getTemplate(template);
        const { out, text, symbols } = await scan(SAMPLE_LABEL, opts({ template, dpi }));
        // Darkness for this format only (^MD, relative: 8 is the printer's own setting), never ~SD.
        expect(text.startsWith('^XA\n^CI28\n^MD0\n^PON\n^MNY\n')).toBe(true);
        expect(text).not.toContain('~SD');
        expect(text.trimEnd().endsWith('^XZ')).toBe(true);
        expect(text).toContain(`^PW${mmToDots(t.widthMm, dpi)}\n^LL${mmToDots(t.heightMm, dpi)}\n`);
        expect(text).toContain(':Z64:');
        expect(symbols).toContainEqual({ type: 'CODE-128', data: SAMPLE_LABEL.waybillNo });
        expect(symbols).toContainEqual({ type: 'QR-Code', data: SAMPLE_LABEL.qrPayload });
        console.log(`[zpl] ${template} @ ${dpi} dpi: ${out.bytes.length} bytes per label`);
      });
    }
  }

  it('manual subsets (mode N) for a number that starts in subset C scan too', async () => {
    const { layout } = prepareLabel(SAMPLE_LABEL, opts());
    const zpl = renderZpl([layout], { dpi: 203, code128: 'manual' });
    expect(new TextDecoder().decode(zpl)).toContain(`,N,N,N,N^FD>;${SAMPLE_LABEL.waybillNo}^FS`);
    const symbols = await zbarDecodeBuffer(await renderPng(zpl, 100, 180, 203));
    expect(symbols).toContainEqual({ type: 'CODE-128', data: SAMPLE_LABEL.waybillNo });
  });

  it('uncompressed hex graphics scan too', async () => {
    const { layout } = prepareLabel(SAMPLE_LABEL, opts());
    const zpl = renderZpl([layout], { dpi: 203, graphics: 'hex' });
    expect(new TextDecoder().decode(zpl)).not.toContain(':Z64:');
    const symbols = await zbarDecodeBuffer(await renderPng(zpl, 100, 180, 203));
    // zbar reports two symbols of the same content once; barcodes.test.ts decodes each barcode on its own.
    expect(symbols.map((s) => s.data).sort()).toEqual([SAMPLE_LABEL.qrPayload, SAMPLE_LABEL.waybillNo].sort());
    console.log(`[zpl] 100x180 @ 203 dpi, hex graphics: ${zpl.length} bytes per label`);
  });

  it('writes valid :Z64: fields (inflates to the declared size, CRC-16/XMODEM of the base64)', async () => {
    expect(crc16Xmodem('123456789')).toBe(0x31c3); // the CRC-16/XMODEM check value
    const text = new TextDecoder().decode((await zplBackend.render([SAMPLE_LABEL], opts())).bytes);
    const fields = [...text.matchAll(/\^GFA,(\d+),(\d+),(\d+),:Z64:([A-Za-z0-9+/=]+):([0-9A-F]{4})\^FS/g)];
    expect(fields.length).toBeGreaterThan(0);
    for (const [, total, count, perRow, b64, crc] of fields) {
      expect(total).toBe(count);
      const raw = inflateSync(Buffer.from(b64!, 'base64'));
      expect(raw.length).toBe(Number(total));
      expect(raw.length % Number(perRow)).toBe(0);
      expect(crc).toBe(crc16Xmodem(b64!).toString(16).toUpperCase().padStart(4, '0'));
    }
  });

  it('chooses Code128 subsets and escapes the format characters', () => {
    expect(zplCode128Data('78912345678901')).toBe('>;78912345678901');
    expect(zplCode128Data('YT123456789012')).toBe('>:YT>5123456789012');
    expect(zplCode128Data('JT1234567')).toBe('>:JT1>5234567');
    expect(zplCode128Data('AB12CD')).toBe('>:AB12CD');
    expect(zplFieldHex('a^b~c_d"e')).toBe('a_5Eb_7Ec_5Fd_22e');
    expect(zplFieldHex('中')).toBe('_E4_B8_AD');
  });

  it('maps darkness (^MD, this format only), direction, gap, speed, copies, and the calibration offset', async () => {
    const a = new TextDecoder().decode(
      (await zplBackend.render([SAMPLE_LABEL], opts({ darkness: 15, speed: 6, copies: 3 }))).bytes,
    );
    expect(a).toContain('^XA\n^CI28\n^MD14\n');
    expect(a).not.toContain('~SD');
    expect(zplDarkness(0)).toBe(-16);
    expect(zplDarkness(8)).toBe(0);
    const turned = new TextDecoder().decode(
      (await zplBackend.render([SAMPLE_LABEL], opts({ direction: 0, gapMm: 0 }))).bytes,
    );
    expect(turned).toContain('^POI\n^MNN\n');
    expect(a).toContain('^PR6');
    expect(a).toContain('^PQ3');
    const b = new TextDecoder().decode(
      (await zplBackend.render([SAMPLE_LABEL], opts({ offsetMm: { x: 2, y: 0 } }))).bytes,
    );
    const fo = (s: string) => Number(/\^FO(\d+),\d+\^BY/.exec(s)?.[1]);
    expect(fo(b) - fo(a)).toBe(mmToDots(2, 203));
  });

  it('sends letters/digits as native ^BC and draws numbers with format characters as bitmaps; all scan', async () => {
    for (const waybillNo of ['YT1234567890123', 'SF-1234.5678/9', 'JT{"^~_0012345678', 'JT>0012345678']) {
      const { text, symbols } = await scan({ ...SAMPLE_LABEL, waybillNo }, opts());
      expect(text.includes(`^BCN`), waybillNo).toBe(/^[A-Za-z0-9./-]+$/.test(waybillNo));
      if (text.includes('^BCN')) expect(text).toContain(`,N,N,N,A^FD${waybillNo}^FS`);
      expect(symbols, waybillNo).toContainEqual({ type: 'CODE-128', data: waybillNo });
    }
  });

  it('one ^XA…^XZ per label; ugly input never throws and its codes still scan', async () => {
    const three = new TextDecoder().decode((await zplBackend.render(sampleLabels(3, 3), opts())).bytes);
    expect(three.match(/\^XA/g)).toHaveLength(3);
    expect(three.match(/\^XZ/g)).toHaveLength(3);
    for (const { name, data } of uglyLabels()) {
      const template = name.startsWith('long') ? '76x130' : '100x180';
      const out = await zplBackend.render([data], opts({ template }));
      expect(new TextDecoder().decode(out.bytes), name).toMatch(/^\^XA[\s\S]*\^XZ\n$/);
      // Rendering every case through Zebrash takes ~1.5 s each: scan the ones that stress the codes.
      if (!['special characters in codes', 'long address on every field', 'shared: empty'].includes(name)) continue;
      const { symbols, png } = await scan(data, opts({ template }));
      expect(symbols, name).toContainEqual({ type: 'CODE-128', data: data.waybillNo });
      expect(qrBytes(png), name).toBe(data.qrPayload);
    }
  });
});
