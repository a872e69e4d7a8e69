/**
 * The station hands backends data built from a decrypted payload, not validated JSON. A label
 * whose tracking number is empty, non-ASCII or too long cannot carry a scannable Code128: every backend
 * must refuse it with a clear message instead of printing a label without a usable barcode.
 */
import { describe, expect, it } from 'vitest';
import { SAMPLE_LABEL, type LabelData } from '../../../shared/label/index.ts';
import { DEFAULT_RENDER_OPTIONS, type LabelBackend } from '../../../main/print/backend.ts';
import { tsplBackend } from '../../../main/print/backends/tspl.ts';
import { zplBackend } from '../../../main/print/backends/zpl.ts';
import { pdfBackend } from '../../../main/print/backends/pdf.ts';
import { pngBackend } from '../../../main/print/backends/png.ts';
import { escposBackend, escposRasterBackend } from '../../../main/print/backends/escpos.ts';

const BACKENDS: LabelBackend[] = [pdfBackend, pngBackend, tsplBackend, zplBackend, escposBackend, escposRasterBackend];

describe('backends refuse label data that fails the schema', () => {
  const bad: [string, LabelData][] = [
    ['empty waybill', { ...SAMPLE_LABEL, waybillNo: '' }],
    ['non-ASCII waybill', { ...SAMPLE_LABEL, waybillNo: 'ZT中通123' }],
    ['empty QR payload', { ...SAMPLE_LABEL, qrPayload: '' }],
    ['quantity 0', { ...SAMPLE_LABEL, items: [{ goodsName: '袜子', spec: '', quantity: 0 }] }],
  ];
  for (const [name, data] of bad) {
    it(name, async () => {
      for (const backend of BACKENDS) {
        await expect(backend.render([data], DEFAULT_RENDER_OPTIONS), `${backend.format} ${name}`).rejects.toThrow(
          /面单数据不合格/,
        );
      }
    });
  }

  it('still renders valid data', async () => {
    for (const backend of BACKENDS) {
      const out = await backend.render([SAMPLE_LABEL], DEFAULT_RENDER_OPTIONS);
      expect(out.bytes.length).toBeGreaterThan(100);
    }
  });
});
