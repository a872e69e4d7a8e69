/**
 * TSPL proof: our own decoder (test/support/tspl-decode.ts) reads the bytes a printer would get.
 * SIZE must match the template, BARCODE/QRCODE must carry the right contents, the BITMAP bands must
 * rebuild the text layer dot for dot in TSPL polarity (0 = black), and a printer emulation that draws
 * the native codes where the commands say must scan with zbarimg.
 */
import { describe, expect, it } from 'vitest';
import type { LabelData } from '../../../shared/label/index.ts';
import { getTemplate, mmToDots, SAMPLE_LABEL, sampleLabels } from '../../../shared/label/index.ts';
import { DEFAULT_RENDER_OPTIONS, prepareLabel, type RenderOptions } from '../../../main/print/backend.ts';
import { inkBands, inkBoxes, textLayer } from '../../../main/print/backends/bitmap-bands.ts';
import { TSPL_BITMAP_BLACK_BIT, tsplBackend, tsplString } from '../../../main/print/backends/tspl.ts';
import { inkRatio, monoToPng, renderMonochrome } from '../../../main/print/render/index.ts';
import { zbarDecodeBuffer } from '../../support/decode.ts';
import { qrBytes } from '../../support/qr-raw.ts';
import { composeTsplBitmap, decodeTspl, paintNativeCodes, unquote } from '../../support/tspl-decode.ts';
import { uglyLabels } from '../../support/ugly-labels.ts';

function opts(over: Partial<RenderOptions> = {}): RenderOptions {
  return { ...DEFAULT_RENDER_OPTIONS, ...over };
}

async function render(labels: LabelData[], o: RenderOptions) {
  const out = await tsplBackend.render(labels, o);
  return { out, job: decodeTspl(out.bytes) };
}

describe('TSPL backend', () => {
  for (const template of ['100x180', '76x130']) {
    for (const dpi of [203, 300]) {
      it(`${template} @ ${dpi} dpi: size, native codes, text bitmap`, async () => {
        const t = getTemplate(template);
        const { out, job } = await render([SAMPLE_LABEL], opts({ template, dpi }));
        expect(job.settings.SIZE).toBe(`${t.widthMm} mm,${t.heightMm} mm`);
        expect(job.settings.GAP).toBe('2 mm,0 mm');
        expect(job.settings.DIRECTION).toBe('1,0');
        expect(job.labels).toHaveLength(1);
        const label = job.labels[0]!;
        expect([label.widthMm, label.heightMm]).toEqual([t.widthMm, t.heightMm]);
        // The main barcode and the small second one, both the tracking number.
        expect(label.barcodes.map((b) => [b.type, b.content])).toEqual([
          ['128', SAMPLE_LABEL.waybillNo],
          ['128', SAMPLE_LABEL.waybillNo],
        ]);
        expect(label.qrcodes.map((q) => [q.ecc, q.content])).toEqual([['M', SAMPLE_LABEL.qrPayload]]);
        expect(label.barcodes[0]!.narrow).toBeGreaterThanOrEqual(2); // whole-dot modules that scan
        expect([label.sets, label.copies]).toEqual([1, 1]);

        // The BITMAP bands rebuild a page whose text regions carry ink …
        const w = mmToDots(t.widthMm, dpi);
        const h = mmToDots(t.heightMm, dpi);
        const page = composeTsplBitmap(label, w, h, true);
        const { layout } = prepareLabel(SAMPLE_LABEL, opts({ template, dpi }));
        for (const id of ['receiverAddress', 'routingCode', 'courier']) {
          const op = layout.ops.find((o) => o.kind === 'text' && o.id === id)!;
          if (op.kind !== 'text') throw new Error(id);
          const ink = inkRatio(
            page,
            mmToDots(op.x, dpi),
            mmToDots(op.y, dpi),
            mmToDots(op.w, dpi),
            mmToDots(op.h, dpi),
          );
          expect(ink, id).toBeGreaterThan(0.03);
          expect(ink, id).toBeLessThan(0.7);
        }
        // … while the code areas are left to the printer (blank in the bitmap).
        const code = layout.ops.find((o) => o.kind === 'code128')!;
        if (code.kind !== 'code128') throw new Error('code');
        expect(
          inkRatio(
            page,
            mmToDots(code.x, dpi) + 4,
            mmToDots(code.y, dpi) + 4,
            mmToDots(code.w, dpi) - 8,
            mmToDots(code.h, dpi) - 8,
          ),
        ).toBe(0);

        // A printer emulation drawing the native codes where the commands put them: both scan.
        paintNativeCodes(page, label);
        const symbols = await zbarDecodeBuffer(monoToPng(page));
        expect(symbols).toContainEqual({ type: 'CODE-128', data: SAMPLE_LABEL.waybillNo });
        expect(symbols).toContainEqual({ type: 'QR-Code', data: SAMPLE_LABEL.qrPayload });
        expect(out.reports).toEqual([{ waybillNo: SAMPLE_LABEL.waybillNo, truncatedFields: [], missingGlyphs: [] }]);
        console.log(
          `[tspl] ${template} @ ${dpi} dpi: ${out.bytes.length} bytes per label, ${label.bitmaps.length} BITMAP bands`,
        );
      });
    }
  }

  it('BITMAP polarity: 0 = black, 1 = white, dot for dot against the renderer', async () => {
    expect(TSPL_BITMAP_BLACK_BIT).toBe(0);
    const o = opts({ template: '76x130' });
    const { job } = await render([SAMPLE_LABEL], o);
    const label = job.labels[0]!;
    const { layout } = prepareLabel(SAMPLE_LABEL, o);
    const expected = renderMonochrome(textLayer(layout), { dpi: 203, omitCodes: true }); // 1 = black
    const decoded = composeTsplBitmap(label, expected.widthDots, expected.heightDots); // read as TSPL: 0 = black
    expect(decoded.bytesPerRow).toBe(expected.bytesPerRow);
    let diff = 0;
    for (let i = 0; i < expected.rows.length; i++) if (decoded.rows[i] !== expected.rows[i]) diff++;
    expect(diff).toBe(0);
    // A label is mostly white, so TSPL bitmap bytes are mostly 0xFF; a flipped polarity would be mostly 0x00.
    const data = label.bitmaps.flatMap((b) => [...b.data]);
    const ff = data.filter((b) => b === 0xff).length;
    const zero = data.filter((b) => b === 0x00).length;
    console.log(`[tspl] polarity: ${ff} 0xFF, ${zero} 0x00 of ${data.length} bitmap bytes`);
    expect(ff).toBeGreaterThan(data.length * 0.3);
    expect(zero).toBeLessThan(ff / 2);
  });

  it('maps darkness, speed, copies and calibration; one CLS…PRINT per label', async () => {
    const labels = sampleLabels(3, 7);
    const { job } = await render(labels, opts({ darkness: 12, speed: 3, copies: 2, offsetMm: { x: 1, y: 2 } }));
    expect(job.settings.DENSITY).toBe('12');
    expect(job.settings.SPEED).toBe('3');
    expect(job.settings.REFERENCE).toBe('0,0');
    expect(job.commands.filter((c) => c === 'CLS')).toHaveLength(3);
    expect(job.labels.map((l) => [l.sets, l.copies])).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    expect(job.labels.map((l) => l.barcodes[0]?.content)).toEqual(labels.map((l) => l.waybillNo));
    // The calibration offset moves the codes by exactly that many dots.
    const plain = decodeTspl((await tsplBackend.render(labels.slice(0, 1), opts())).bytes).labels[0]!;
    const moved = job.labels[0]!;
    expect(moved.barcodes[0]!.x - plain.barcodes[0]!.x).toBe(mmToDots(1, 203));
    expect(moved.qrcodes[0]!.y - plain.qrcodes[0]!.y).toBe(mmToDots(2, 203));
  });

  it('sends the text cut to its ink: every inked dot, in far fewer bytes than page-wide bands', async () => {
    for (const template of ['100x180', '76x130']) {
      const o = opts({ template });
      const { layout } = prepareLabel(SAMPLE_LABEL, o);
      const text = renderMonochrome(textLayer(layout), { dpi: 203, omitCodes: true });
      const banded = inkBands(text).reduce((n, b) => n + b.widthBytes * b.height, 0);
      const boxed = inkBoxes(text).reduce((n, b) => n + b.widthBytes * b.height, 0);
      const { job } = await render([SAMPLE_LABEL], o);
      const sent = job.labels[0]!.bitmaps.reduce((n, b) => n + b.data.length, 0);
      expect(sent).toBe(boxed);
      console.log(`[tspl] ${template}: text bitmaps ${banded} bytes as bands, ${boxed} bytes cut to ink`);
      expect(boxed).toBeLessThan(banded / 1.5);
    }
  });

  it('takes the gap and the print direction from the printer settings', async () => {
    const { job } = await render([SAMPLE_LABEL], opts({ gapMm: 3, direction: 0 }));
    expect(job.settings.GAP).toBe('3 mm,0 mm');
    expect(job.settings.DIRECTION).toBe('0,0');
    const continuous = decodeTspl((await tsplBackend.render([SAMPLE_LABEL], opts({ gapMm: 0 }))).bytes);
    expect(continuous.settings.GAP).toBe('0 mm,0 mm');
    await expect(tsplBackend.render([SAMPLE_LABEL], opts({ gapMm: 25 }))).rejects.toThrow(
      /标签间隙必须在 0–20 mm 之间/,
    );
    await expect(tsplBackend.render([SAMPLE_LABEL], { ...opts(), direction: 2 as unknown as 0 })).rejects.toThrow(
      /打印方向只能是 0 或 1/,
    );
  });

  it('draws a QR payload with line breaks as a bitmap (TSPL strings cannot hold CR/LF); it still scans', async () => {
    const data = { ...SAMPLE_LABEL, qrPayload: 'line one\nline two' };
    const { job } = await render([data], opts());
    const label = job.labels[0]!;
    expect(label.qrcodes).toEqual([]);
    expect(label.barcodes[0]?.content).toBe(data.waybillNo);
    const page = composeTsplBitmap(label, mmToDots(100, 203), mmToDots(180, 203), true);
    paintNativeCodes(page, label);
    expect(qrBytes(monoToPng(page))).toBe(data.qrPayload);
  });

  it('escapes double quotes in strings', () => {
    expect(tsplString('a"b')).toBe('"a\\["]b"');
    expect(unquote(tsplString('JT{"^~_>1'))).toBe('JT{"^~_>1');
  });

  it('never throws on ugly input; codes survive special characters', async () => {
    for (const { name, data } of uglyLabels()) {
      for (const template of ['100x180', '76x130']) {
        const { out, job } = await render([data], opts({ template }));
        const label = job.labels[0]!;
        expect(label.barcodes[0]?.content, name).toBe(data.waybillNo);
        expect(label.qrcodes[0]?.content, name).toBe(data.qrPayload);
        expect(label.bitmaps.length, name).toBeGreaterThan(0);
        if (name === 'emoji and rare characters') expect(out.reports[0]!.missingGlyphs.length).toBeGreaterThan(0);
        if (name === '30-item order') expect(out.reports[0]!.truncatedFields).toContain('goods');
      }
    }
  });
});
