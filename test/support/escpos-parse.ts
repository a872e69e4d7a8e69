/**
 * A small ESC/POS parser for tests: it walks the byte stream the way a printer does (every command's
 * length comes from the ESC/POS spec, not from our encoder) and reports what would be printed: text
 * runs (decoded as GB18030), Code128 symbols (code sets B and C decoded back to their characters),
 * QR symbols, raster images and cuts. Unknown commands fail loudly, so stray bytes cannot hide.
 */

export type EscposEvent =
  | { kind: 'init' }
  | { kind: 'chinese'; on: boolean }
  | { kind: 'text'; text: string }
  | { kind: 'newline' }
  | { kind: 'align'; value: number }
  | { kind: 'bold'; on: boolean }
  | { kind: 'size'; width: number; height: number }
  | { kind: 'barcode'; system: number; data: string; moduleDots: number; heightDots: number; hri: number }
  | { kind: 'qr'; data: string; model: number; cell: number; ecc: number }
  | { kind: 'raster'; widthBytes: number; height: number; data: Uint8Array }
  | { kind: 'feed'; dots?: number; lines?: number }
  | { kind: 'margin'; dots: number }
  | { kind: 'cut'; mode: number };

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const DLE = 0x10;
const LF = 0x0a;

/** Decodes `GS k 73` Code128 data: `{A`/`{B`/`{C` switch sets, `{{` is a literal brace; set C bytes are digit pairs. */
export function decodeEscposCode128(data: Uint8Array): string {
  let set: 'A' | 'B' | 'C' | null = null;
  let out = '';
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (b === 0x7b) {
      const next = data[++i];
      if (next === 0x41) set = 'A';
      else if (next === 0x42) set = 'B';
      else if (next === 0x43) set = 'C';
      else if (next === 0x7b) out += '{';
      else throw new Error(`unknown Code128 function {${String.fromCharCode(next ?? 0)}`);
      continue;
    }
    if (set === null) throw new Error('Code128 data must start with a code set ({A, {B or {C)');
    if (set === 'C') {
      if (b > 99) throw new Error(`code set C byte ${b} > 99`);
      out += String(b).padStart(2, '0');
    } else out += String.fromCharCode(b);
  }
  return out;
}

export function parseEscpos(bytes: Uint8Array): EscposEvent[] {
  const events: EscposEvent[] = [];
  const gb = new TextDecoder('gb18030');
  const utf8 = new TextDecoder('utf-8');
  const hri = { pos: 0 };
  const bar = { module: 3, height: 162 };
  const qr = { model: 2, cell: 3, ecc: 48, data: new Uint8Array(0) };
  let i = 0;
  const need = (n: number) => {
    if (i + n > bytes.length) throw new Error(`truncated command at byte ${i} (needs ${n})`);
  };
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === LF) {
      events.push({ kind: 'newline' });
      i++;
      continue;
    }
    if (b >= 0x20) {
      const start = i;
      while (i < bytes.length && bytes[i]! >= 0x20) i++;
      events.push({ kind: 'text', text: gb.decode(bytes.subarray(start, i)) });
      continue;
    }
    if (b === ESC) {
      need(2);
      const c = bytes[i + 1]!;
      switch (c) {
        case 0x40:
          events.push({ kind: 'init' });
          i += 2;
          break;
        case 0x61:
          need(3);
          events.push({ kind: 'align', value: bytes[i + 2]! % 48 });
          i += 3;
          break;
        case 0x45:
          need(3);
          events.push({ kind: 'bold', on: (bytes[i + 2]! & 1) === 1 });
          i += 3;
          break;
        case 0x64:
          need(3);
          events.push({ kind: 'feed', lines: bytes[i + 2]! });
          i += 3;
          break;
        case 0x4a:
          need(3);
          events.push({ kind: 'feed', dots: bytes[i + 2]! });
          i += 3;
          break;
        case 0x21: // ESC ! n print mode
        case 0x2d: // ESC - n underline
        case 0x33: // ESC 3 n line spacing
        case 0x52: // ESC R n international set
        case 0x74: // ESC t n code table
        case 0x4d: // ESC M n font
          need(3);
          i += 3;
          break;
        case 0x32: // ESC 2 default spacing
          i += 2;
          break;
        default:
          throw new Error(`unknown ESC 0x${c.toString(16)} at byte ${i}`);
      }
      continue;
    }
    if (b === FS) {
      need(2);
      const c = bytes[i + 1]!;
      if (c === 0x26 || c === 0x2e) {
        events.push({ kind: 'chinese', on: c === 0x26 });
        i += 2;
      } else if (c === 0x21) {
        need(3);
        i += 3;
      } else throw new Error(`unknown FS 0x${c.toString(16)} at byte ${i}`);
      continue;
    }
    if (b === DLE) {
      need(3);
      i += 3; // DLE EOT n / DLE ENQ n: real-time requests, nothing printed
      continue;
    }
    if (b === GS) {
      need(2);
      const c = bytes[i + 1]!;
      switch (c) {
        case 0x21: {
          need(3);
          const n = bytes[i + 2]!;
          events.push({ kind: 'size', width: ((n >> 4) & 7) + 1, height: (n & 7) + 1 });
          i += 3;
          break;
        }
        case 0x48:
          need(3);
          hri.pos = bytes[i + 2]! % 48;
          i += 3;
          break;
        case 0x66:
          need(3);
          i += 3;
          break;
        case 0x77:
          need(3);
          bar.module = bytes[i + 2]!;
          i += 3;
          break;
        case 0x68:
          need(3);
          bar.height = bytes[i + 2]!;
          i += 3;
          break;
        case 0x4c:
          need(4);
          events.push({ kind: 'margin', dots: bytes[i + 2]! + 256 * bytes[i + 3]! });
          i += 4;
          break;
        case 0x56: {
          need(3);
          const m = bytes[i + 2]!;
          events.push({ kind: 'cut', mode: m });
          i += m >= 65 ? 4 : 3;
          break;
        }
        case 0x6b: {
          need(3);
          const m = bytes[i + 2]!;
          if (m <= 6) {
            let j = i + 3;
            while (j < bytes.length && bytes[j] !== 0) j++;
            events.push({
              kind: 'barcode',
              system: m,
              data: utf8.decode(bytes.subarray(i + 3, j)),
              moduleDots: bar.module,
              heightDots: bar.height,
              hri: hri.pos,
            });
            i = j + 1;
          } else {
            need(4);
            const n = bytes[i + 3]!;
            need(4 + n);
            const raw = bytes.subarray(i + 4, i + 4 + n);
            const data = m === 73 ? decodeEscposCode128(raw) : utf8.decode(raw);
            events.push({
              kind: 'barcode',
              system: m,
              data,
              moduleDots: bar.module,
              heightDots: bar.height,
              hri: hri.pos,
            });
            i += 4 + n;
          }
          break;
        }
        case 0x28: {
          need(5);
          const fnType = bytes[i + 2]!;
          const len = bytes[i + 3]! + 256 * bytes[i + 4]!;
          need(5 + len);
          const body = bytes.subarray(i + 5, i + 5 + len);
          if (fnType === 0x6b && body[0] === 0x31) {
            // QR (cn = 49): 65 model, 67 size, 69 ecc, 80 store, 81 print
            const fn = body[1];
            if (fn === 0x41) qr.model = body[2]! - 48;
            else if (fn === 0x43) qr.cell = body[2]!;
            else if (fn === 0x45) qr.ecc = body[2]!;
            else if (fn === 0x50) qr.data = body.slice(3);
            else if (fn === 0x51)
              events.push({ kind: 'qr', data: utf8.decode(qr.data), model: qr.model, cell: qr.cell, ecc: qr.ecc });
          }
          i += 5 + len;
          break;
        }
        case 0x76: {
          need(8);
          if (bytes[i + 2] !== 0x30) throw new Error(`unknown GS v 0x${bytes[i + 2]!.toString(16)}`);
          const widthBytes = bytes[i + 4]! + 256 * bytes[i + 5]!;
          const height = bytes[i + 6]! + 256 * bytes[i + 7]!;
          need(8 + widthBytes * height);
          events.push({ kind: 'raster', widthBytes, height, data: bytes.slice(i + 8, i + 8 + widthBytes * height) });
          i += 8 + widthBytes * height;
          break;
        }
        default:
          throw new Error(`unknown GS 0x${c.toString(16)} at byte ${i}`);
      }
      continue;
    }
    throw new Error(`unexpected control byte 0x${b.toString(16)} at byte ${i}`);
  }
  return events;
}

/** Stacks consecutive raster events into one 1 = black bitmap (GS v 0 polarity: 1 = print). */
export function stackRasters(events: EscposEvent[]): {
  widthDots: number;
  heightDots: number;
  bytesPerRow: number;
  rows: Uint8Array;
} {
  const rasters = events.filter((e): e is Extract<EscposEvent, { kind: 'raster' }> => e.kind === 'raster');
  const bytesPerRow = Math.max(0, ...rasters.map((r) => r.widthBytes));
  const heightDots = rasters.reduce((n, r) => n + r.height, 0);
  const rows = new Uint8Array(bytesPerRow * heightDots);
  let y = 0;
  for (const r of rasters) {
    for (let k = 0; k < r.height; k++)
      rows.set(r.data.subarray(k * r.widthBytes, (k + 1) * r.widthBytes), (y + k) * bytesPerRow);
    y += r.height;
  }
  return { widthDots: bytesPerRow * 8, heightDots, bytesPerRow, rows };
}

/** All printed text, lines joined with \n (what a worker would read on the paper). */
export function printedText(events: EscposEvent[]): string {
  return events.map((e) => (e.kind === 'text' ? e.text : e.kind === 'newline' ? '\n' : '')).join('');
}
