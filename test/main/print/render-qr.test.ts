import bwipjs from 'bwip-js';
import { describe, expect, it } from 'vitest';
import { qrVersion, SAMPLE_LABEL } from '../../../shared/label/index.ts';
import { encodeQr } from '../../../main/print/render/qr-encode.ts';
import { encodeMonoPng } from '../../../main/print/render/png-encode.ts';
import { setRun } from '../../../main/print/render/glyphs.ts';
import { zbarDecodeBuffer } from '../../support/decode.ts';

function bwipQr(text: string, mask: number): { size: number; dark: number[] } {
  // bwip-js numbers masks 1–8; eclevel and mask are BWIPP options its typings do not list.
  const options = { bcid: 'qrcode', text, eclevel: 'M', mask: mask + 1 };
  const r = (bwipjs.raw(options) as Array<{ pixs: number[]; pixx: number }>)[0]!;
  return { size: r.pixx, dark: r.pixs };
}

/** Byte-mode capacity at level M: a payload of exactly this length must land in this version. */
const CAPACITY: Record<number, number> = {
  1: 14,
  2: 26,
  5: 84,
  7: 122,
  10: 213,
  14: 362,
  20: 666,
  27: 1125,
  33: 1628,
  40: 2331,
};

/** Lower-case letters keep every encoder in byte mode, so the bit streams must agree exactly. */
const payload = (n: number) => 'abcdefghijklmnopqrstuvwxyz'.repeat(Math.ceil(n / 26)).slice(0, n);

function render(q: { size: number; dark: Uint8Array }, moduleDots = 4): Buffer {
  const quiet = 4;
  const side = (q.size + 2 * quiet) * moduleDots;
  const bytesPerRow = Math.ceil(side / 8);
  const rows = new Uint8Array(bytesPerRow * side);
  for (let y = 0; y < q.size; y++) {
    for (let x = 0; x < q.size; x++) {
      if (!q.dark[y * q.size + x]) continue;
      for (let dy = 0; dy < moduleDots; dy++) {
        const row = ((y + quiet) * moduleDots + dy) * bytesPerRow;
        setRun(rows, row, (x + quiet) * moduleDots, (x + quiet + 1) * moduleDots, true);
      }
    }
  }
  return encodeMonoPng({ widthDots: side, heightDots: side, bytesPerRow, rows });
}

describe('QR encoder', () => {
  it.each(Object.entries(CAPACITY))(
    'version %s: every mask is bit-identical to bwip-js, at and past capacity',
    (v, cap) => {
      const ver = Number(v);
      const masks = ver >= 20 ? [0, 5] : [0, 1, 2, 3, 4, 5, 6, 7]; // big symbols: two masks keep the test quick
      for (const m of masks) {
        const ours = encodeQr(payload(cap), m);
        expect(ours.version).toBe(ver);
        const ref = bwipQr(payload(cap), m);
        expect(ours.size).toBe(ref.size);
        expect(Array.from(ours.dark)).toEqual(ref.dark);
      }
      if (ver < 40) expect(encodeQr(payload(cap + 1), 0).version).toBe(ver + 1);
      expect(qrVersion(payload(cap))).toBe(ver);
    },
  );

  it('UTF-8 payloads match bwip-js too', () => {
    const text = '中通快递 上海市浦东新区';
    for (const m of [0, 3, 6]) expect(Array.from(encodeQr(text, m).dark)).toEqual(bwipQr(text, m).dark);
  });

  it('rejects a payload beyond version 40', () => {
    expect(() => encodeQr(payload(2332))).toThrow(/过长/);
  });

  it.each([
    SAMPLE_LABEL.qrPayload,
    'https://daifa.example/t/YT1234567890123?o=240527-183920471652819',
    '中通快递 78912345678901',
    'A',
  ])('zbarimg decodes what we draw (auto mask): %s', async (text) => {
    const q = encodeQr(text);
    expect(q.mask).toBeGreaterThanOrEqual(0);
    expect(q.mask).toBeLessThan(8);
    expect(await zbarDecodeBuffer(render(q))).toEqual([{ type: 'QR-Code', data: text }]);
  });
});
