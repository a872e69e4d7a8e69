/**
 * ZPL II (Zebra and compatibles): `^XA … ^XZ` per label.
 *
 * - Media: `^PW` width and `^LL` length in dots; `^LH`/`^LS`/`^LT` pinned to 0 (the calibration offset
 *   is applied to the layout, as for every format); darkness `^MD` (−30…30, relative to the printer's own
 *   setting, for this format only: `~SD` would change the darkness for every later job of every program
 *   using the printer); orientation `^PO` (N, or I for a label turned 180°); speed `^PR`; copies `^PQ`.
 *   `^CI28` makes field data UTF-8.
 * - Text (and filled boxes) as `^GFA` bitmap bands, compressed as `:Z64:` (zlib + base64 + CRC-16) by
 *   default or plain hex; ZPL graphics are 1 = black, the same polarity as our renderer.
 * - Outlined boxes and rules as `^GB` bars.
 * - Code128 natively with `^BY` + `^BCN`. Subsets: by default mode A ("automatic"), where the firmware
 *   packs runs of digits into subset C — never wider than the layout's estimate, which assumes the same
 *   rule. Option `code128: 'manual'` sends mode N with our own invocations instead (`>;` start C, `>:`
 *   start B, `>5`/`>6` switch) for firmware without mode A; Zebrash, our test renderer, honours the
 *   start codes but not a mid-symbol `>5`, so the automatic mode is the one proven by scanning.
 *   A number with anything but letters, digits, `-`, `.`, `/` and space (`>` is the invocation
 *   character; `^ ~ _` need ^FH escapes) is drawn as an exact ^GFA bitmap instead.
 * - QR natively with `^BQN,2,m` and `^FDMM,B<nnnn><bytes>` (ECC M, manual byte mode with the UTF-8
 *   byte count) — or `^FDMA,` for plain printable ASCII, which every firmware handles.
 */
import { deflateSync } from 'node:zlib';
import type { LabelLayout } from '../../../shared/label/index.ts';
import { mmToDots, placeCode128, placeQr } from '../../../shared/label/index.ts';
import { layoutBackend, type LabelBackend } from '../backend.ts';
import { renderMonochrome } from '../render/index.ts';
import { ByteSink, bandBytes, inkBands, ruleRects, textLayer } from './bitmap-bands.ts';
import type { NativeJobOptions } from './tspl.ts';

export interface ZplJobOptions extends NativeJobOptions {
  /**
   * ^GFA data: `z64` (default) zlib + base64 with CRC, ~7× smaller than `hex` (plain ASCII hex, for
   * firmware older than Z64 support, and about twice as fast to encode).
   */
  graphics?: 'z64' | 'hex';
  /**
   * Code128 subsets: `auto` (default) lets the firmware pack digit runs into subset C (^BC mode A);
   * `manual` sends our own invocations (>; >: >5 >6) in mode N, for firmware without mode A.
   */
  code128?: 'auto' | 'manual';
}

const CRC16_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let crc = n << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[n] = crc;
  }
  return table;
})();

/** CRC-16/XMODEM (poly 0x1021, init 0) of the base64 text: the checksum Zebra's :Z64: format expects. */
export function crc16Xmodem(text: string): number {
  let crc = 0;
  for (let i = 0; i < text.length; i++)
    crc = ((crc << 8) ^ CRC16_TABLE[((crc >> 8) ^ text.charCodeAt(i)) & 0xff]!) & 0xffff;
  return crc;
}

/**
 * Zebra's :Z64: graphic encoding. Deflate level 1: half the CPU of the default level for ~12 % more
 * bytes — a label is rendered for every print, while 1–2 KiB more on a LAN or USB link costs nothing.
 */
export function z64(data: Uint8Array): string {
  const b64 = Buffer.from(deflateSync(data, { level: 1 })).toString('base64');
  return `:Z64:${b64}:${crc16Xmodem(b64).toString(16).toUpperCase().padStart(4, '0')}`;
}

function hex(data: Uint8Array): string {
  return Buffer.from(data).toString('hex').toUpperCase();
}

/**
 * Escapes field data for `^FH` (escape character `_`): everything but letters, digits and a few safe
 * punctuation marks becomes _XX (UTF-8 bytes), so `^`, `~`, `_`, quotes and non-ASCII can neither break
 * the format nor be misread by a lenient parser.
 */
export function zplFieldHex(s: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(byte);
    out += /^[A-Za-z0-9 .:/?&=%+,;@#$*()!<>-]$/.test(c) ? c : `_${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Code128 data with explicit subset invocations for `^BC…,N`. Subset C packs digit pairs (half the
 * width), so long digit runs use it; everything else goes in B. Values with `>` or other format
 * characters never get here (they are drawn as a bitmap, see zplLabel).
 */
export function zplCode128Data(value: string): string {
  let out = '';
  let set: 'B' | 'C' | null = null;
  const use = (next: 'B' | 'C') => {
    if (set === next) return;
    out += set === null ? (next === 'C' ? '>;' : '>:') : next === 'C' ? '>5' : '>6';
    set = next;
  };
  let i = 0;
  while (i < value.length) {
    let run = 0;
    while (i + run < value.length && isDigit(value.charCodeAt(i + run))) run++;
    if (run >= 4 || (i === 0 && run === value.length && run >= 2)) {
      if (run % 2 === 1) {
        use('B');
        out += value[i];
        i++;
        run--;
      }
      use('C');
      out += value.slice(i, i + run);
      i += run;
    } else {
      use('B');
      out += value[i];
      i++;
    }
  }
  return out;
}

/** Code128 values sent as native ^BC; others are drawn as a bitmap (see zplLabel). */
const NATIVE_CODE128 = /^[A-Za-z0-9\-./ ]+$/;

/** The ^BY height pinned before every QR, which the firmware adds to the QR's ^FO y. */
const QR_BY_HEIGHT = 10;

function clampInt(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.round(v)));
}

function isPlainAscii(s: string): boolean {
  return /^[\x20-\x7e]*$/.test(s) && !/[\^~_]/.test(s);
}

/**
 * Our darkness scale (0–15, TSPL's DENSITY, 8 = a printer's usual middle) as ^MD's offset from the
 * printer's own setting (−30…30, in ~SD's steps of one): 8 leaves it as the printer's owner set it.
 */
export function zplDarkness(darkness: number): number {
  return clampInt((darkness - 8) * 2, -30, 30);
}

export function zplLabel(layout: LabelLayout, opts: ZplJobOptions, sink: ByteSink): void {
  const dpi = opts.dpi;
  const widthDots = mmToDots(layout.widthMm, dpi);
  const heightDots = mmToDots(layout.heightMm, dpi);

  sink.text('^XA\n^CI28\n');
  if (opts.darkness !== undefined) sink.text(`^MD${zplDarkness(opts.darkness)}\n`);
  sink.text(`^PO${opts.direction === 0 ? 'I' : 'N'}\n`);
  // Media with gaps (or marks) between labels, or continuous media when the gap is 0.
  sink.text(`^MN${opts.gapMm === 0 ? 'N' : 'Y'}\n`);
  sink.text(`^PW${widthDots}\n^LL${heightDots}\n`);
  // Calibration is already in the layout (backend.ts prepareLabel); pin the printer's own shifts to 0.
  sink.text('^LH0,0\n^LS0\n^LT0\n');
  if (opts.speed !== undefined) sink.text(`^PR${clampInt(opts.speed, 1, 14)}\n`);

  const text = renderMonochrome(textLayer(layout), { dpi, omitCodes: true });
  // Page-wide bands, not boxes cut to the ink as TSPL sends: Z64 compresses the blank bytes to almost
  // nothing, and every extra ^GFA costs a deflate call (boxes: 3 % fewer bytes for twice the CPU).
  for (const band of inkBands(text)) {
    const data = bandBytes(text, band, false);
    const body = opts.graphics === 'hex' ? hex(data) : z64(data);
    sink.text(`^FO${band.xByte * 8},${band.y}^GFA,${data.length},${data.length},${band.widthBytes},${body}^FS\n`);
  }
  for (const r of ruleRects(layout, dpi)) {
    // ^GB w,h,t: a box whose border is as thick as its smaller side is a solid bar.
    const t = Math.max(1, Math.min(r.w, r.h));
    sink.text(`^FO${Math.max(0, r.x)},${Math.max(0, r.y)}^GB${Math.max(r.w, t)},${Math.max(r.h, t)},${t}^FS\n`);
  }
  for (const op of layout.ops) {
    if (op.kind === 'code128' && !NATIVE_CODE128.test(op.value)) {
      // '>' is ^BC's invocation character and ^ ~ _ need ^FH escapes, whose interaction with subset
      // switching differs between interpreters (Zebrash drops the character after an escape and
      // ignores >5 after ^FH data). Real tracking numbers are letters and digits; anything else is
      // drawn as an exact bitmap, which scans the same everywhere.
      const bits = renderMonochrome({ ...layout, ops: [op] }, { dpi });
      for (const band of inkBands(bits)) {
        const data = bandBytes(bits, band, false);
        sink.text(
          `^FO${band.xByte * 8},${band.y}^GFA,${data.length},${data.length},${band.widthBytes},${z64(data)}^FS\n`,
        );
      }
    } else if (op.kind === 'code128') {
      const p = placeCode128(op, dpi);
      const module = clampInt(p.moduleDots, 1, 10);
      const manual = opts.code128 === 'manual';
      const fd = manual ? zplCode128Data(op.value) : op.value;
      sink.text(
        `^FO${Math.max(0, p.xDots)},${Math.max(0, p.yDots)}^BY${module},3,${p.heightDots}^BCN,${p.heightDots},N,N,N,${manual ? 'N' : 'A'}^FD${fd}^FS\n`,
      );
    } else if (op.kind === 'qr') {
      const p = placeQr(op, dpi);
      const mag = clampInt(p.moduleDots, 1, 10);
      const bytes = new TextEncoder().encode(op.value);
      const fd = isPlainAscii(op.value)
        ? `MA,${op.value}`
        : `MM,B${String(bytes.length).padStart(4, '0')}${zplFieldHex(op.value)}`;
      // Zebra firmware moves an ^FO-placed ^BQ down by the current ^BY bar height (a printer-wide
      // default that persists between formats): pin it to a known value and compensate.
      sink.text(
        `^BY${mag},2,${QR_BY_HEIGHT}^FO${Math.max(0, p.xDots)},${Math.max(0, p.yDots - QR_BY_HEIGHT)}^BQN,2,${mag}^FH^FD${fd}^FS\n`,
      );
    }
  }
  sink.text(`^PQ${clampInt(opts.copies ?? 1, 1, 99_999_999)}\n^XZ\n`);
}

export function renderZpl(layouts: LabelLayout[], opts: ZplJobOptions): Uint8Array {
  const sink = new ByteSink();
  for (const layout of layouts) zplLabel(layout, opts, sink);
  return sink.toBytes();
}

export const zplBackend: LabelBackend = layoutBackend('zpl', 'application/vnd.zebra.zpl', 'zpl', renderZpl);
