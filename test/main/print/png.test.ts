import { describe, expect, it } from 'vitest';
import { SAMPLE_LABEL, UGLY_LABELS, sampleLabels } from '../../../shared/label/index.ts';
import { createPngBackend, pngBackend } from '../../../main/print/backends/png.ts';
import { zbarDecodeBuffer } from '../../support/decode.ts';

function pngSize(png: Uint8Array): { w: number; h: number } {
  const b = Buffer.from(png);
  expect(b.subarray(1, 4).toString()).toBe('PNG');
  return { w: b.readUInt32BE(16), h: b.readUInt32BE(20) };
}

const opts = { dpi: 203, offsetMm: { x: 0, y: 0 }, darkness: 8, speed: 4, copies: 1 };

describe('png backend', () => {
  it.each([
    ['100x180', 203, 800, 1440],
    ['100x180', 300, 1200, 2160],
    ['76x130', 203, 608, 1040],
    ['76x130', 300, 912, 1560],
  ] as const)('%s at %i dpi: %i×%i and both codes scan', async (template, dpi, w, h) => {
    const { bytes } = await pngBackend.render([SAMPLE_LABEL], { ...opts, template, dpi });
    expect(pngSize(bytes)).toEqual({ w, h });
    expect(await zbarDecodeBuffer(bytes)).toEqual(
      expect.arrayContaining([
        { type: 'CODE-128', data: SAMPLE_LABEL.waybillNo },
        { type: 'QR-Code', data: SAMPLE_LABEL.qrPayload },
      ]),
    );
  });

  it('the smooth (anti-aliased) preview scans too', async () => {
    const { bytes } = await createPngBackend('smooth').render([SAMPLE_LABEL], { ...opts, template: '76x130' });
    expect(pngSize(bytes)).toEqual({ w: 608, h: 1040 });
    expect(await zbarDecodeBuffer(bytes)).toContainEqual({ type: 'CODE-128', data: SAMPLE_LABEL.waybillNo });
  });

  it('stacks several labels into one strip in which every code scans', async () => {
    const labels = sampleLabels(3, 3);
    const { bytes, reports } = await pngBackend.render(labels, { ...opts, template: '76x130' });
    expect(pngSize(bytes)).toEqual({ w: 608, h: 3 * 1040 + 2 * 16 });
    const found = await zbarDecodeBuffer(bytes);
    for (const l of labels) expect(found).toContainEqual({ type: 'CODE-128', data: l.waybillNo });
    expect(reports).toHaveLength(3);
  });

  it('ugly input: never throws, reports placeholders and truncation, still scans', async () => {
    for (const template of ['100x180', '76x130']) {
      for (const [name, data] of Object.entries(UGLY_LABELS)) {
        const { bytes, reports } = await pngBackend.render([data], { ...opts, template });
        expect(await zbarDecodeBuffer(bytes), `${template} ${name}`).toContainEqual({
          type: 'CODE-128',
          data: data.waybillNo,
        });
        if (name === 'rareChars') expect(reports[0]!.missingGlyphs).toEqual([]);
        if (name === 'emoji') expect(reports[0]!.missingGlyphs.length).toBeGreaterThan(0);
        if (name === 'items30') expect(reports[0]!.truncatedFields).toContain('goods');
      }
    }
  });
});
