/**
 * A small TSPL decoder for tests: it reads the bytes a printer would receive, the way a TSC-style
 * interpreter does (CRLF-separated commands; BITMAP followed by exactly widthBytes × height binary
 * bytes), and rebuilds each label's bitmap layer. It is independent of the encoder: it knows TSPL, not
 * our code, so a wrong polarity, a wrong byte count or a broken string escape shows up here.
 */

import { code128Pattern, qrMatrix } from '../../main/print/render/barcodes.ts';

export interface TsplBitmap {
  x: number;
  y: number;
  widthBytes: number;
  height: number;
  mode: number;
  data: Uint8Array;
}

export interface TsplBarcode {
  x: number;
  y: number;
  type: string;
  height: number;
  readable: number;
  rotation: number;
  narrow: number;
  wide: number;
  content: string;
}

export interface TsplQr {
  x: number;
  y: number;
  ecc: string;
  cell: number;
  mode: string;
  rotation: number;
  content: string;
}

export interface TsplBar {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface TsplLabel {
  bitmaps: TsplBitmap[];
  bars: TsplBar[];
  barcodes: TsplBarcode[];
  qrcodes: TsplQr[];
  /** PRINT m,n */
  sets: number;
  copies: number;
  /** SIZE in force when this label printed. */
  widthMm: number;
  heightMm: number;
}

export interface TsplJob {
  /** Every command name in order (BITMAP payloads excluded), for assertions on the sequence. */
  commands: string[];
  settings: Record<string, string>;
  labels: TsplLabel[];
}

const CR = 0x0d;
const LF = 0x0a;

/** Splits a TSPL argument list on commas outside double quotes; returns raw tokens. */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inQuote = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (inQuote && c === '\\' && s.startsWith('\\["]', i)) {
      cur += '\\["]';
      i += 3;
      continue;
    }
    if (c === '"') inQuote = !inQuote;
    if (c === ',' && !inQuote) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

/** A TSPL string literal's value. */
export function unquote(token: string): string {
  if (!token.startsWith('"') || !token.endsWith('"') || token.length < 2)
    throw new Error(`not a TSPL string: ${token}`);
  return token.slice(1, -1).replaceAll('\\["]', '"');
}

function mm(v: string): number {
  return Number(v.replace(/mm/i, '').trim());
}

export function decodeTspl(bytes: Uint8Array): TsplJob {
  const decoder = new TextDecoder('utf-8');
  const job: TsplJob = { commands: [], settings: {}, labels: [] };
  let widthMm = NaN;
  let heightMm = NaN;
  let current: Omit<TsplLabel, 'sets' | 'copies'> | undefined;
  let i = 0;
  const readLine = (): string => {
    const start = i;
    while (i < bytes.length && bytes[i] !== LF) i++;
    let end = i;
    if (end > start && bytes[end - 1] === CR) end--;
    i++; // past LF
    return decoder.decode(bytes.subarray(start, end));
  };

  while (i < bytes.length) {
    // BITMAP carries binary data: parse its header byte by byte up to the 6th comma.
    if (bytes[i] === 0x42 && decoder.decode(bytes.subarray(i, i + 7)) === 'BITMAP ') {
      let commas = 0;
      let j = i;
      while (j < bytes.length && commas < 5) if (bytes[j++] === 0x2c) commas++;
      const header = decoder.decode(bytes.subarray(i + 7, j - 1));
      const [x, y, wb, h, mode] = header.split(',').map((v) => Number(v.trim()));
      if ([x, y, wb, h, mode].some((v) => v === undefined || !Number.isFinite(v)))
        throw new Error(`bad BITMAP header: ${header}`);
      const n = wb! * h!;
      if (j + n > bytes.length) throw new Error(`BITMAP needs ${n} bytes, only ${bytes.length - j} left`);
      const data = bytes.slice(j, j + n);
      i = j + n;
      if (bytes[i] === CR) i++;
      if (bytes[i] !== LF) throw new Error(`BITMAP data not followed by CRLF at byte ${i}`);
      i++;
      if (!current) throw new Error('BITMAP before CLS');
      current.bitmaps.push({ x: x!, y: y!, widthBytes: wb!, height: h!, mode: mode!, data });
      job.commands.push('BITMAP');
      continue;
    }
    const line = readLine().trim();
    if (!line) continue;
    const space = line.indexOf(' ');
    const name = (space < 0 ? line : line.slice(0, space)).toUpperCase();
    const rest = space < 0 ? '' : line.slice(space + 1);
    job.commands.push(name);
    const args = splitArgs(rest);
    switch (name) {
      case 'SIZE':
        widthMm = mm(args[0] ?? '');
        heightMm = mm(args[1] ?? '');
        job.settings.SIZE = rest;
        break;
      case 'CLS':
        current = { bitmaps: [], bars: [], barcodes: [], qrcodes: [], widthMm, heightMm };
        break;
      case 'BAR': {
        if (!current) throw new Error('BAR before CLS');
        const [x, y, w, h] = args.map(Number);
        current.bars.push({ x: x!, y: y!, w: w!, h: h! });
        break;
      }
      case 'BARCODE': {
        if (!current) throw new Error('BARCODE before CLS');
        const [x, y, type, h, readable, rotation, narrow, wide, content] = args;
        current.barcodes.push({
          x: Number(x),
          y: Number(y),
          type: unquote(type ?? ''),
          height: Number(h),
          readable: Number(readable),
          rotation: Number(rotation),
          narrow: Number(narrow),
          wide: Number(wide),
          content: unquote(content ?? ''),
        });
        break;
      }
      case 'QRCODE': {
        if (!current) throw new Error('QRCODE before CLS');
        const [x, y, ecc, cell, mode, rotation, ...more] = args;
        current.qrcodes.push({
          x: Number(x),
          y: Number(y),
          ecc: ecc ?? '',
          cell: Number(cell),
          mode: mode ?? '',
          rotation: Number(rotation),
          content: unquote(more[more.length - 1] ?? ''),
        });
        break;
      }
      case 'PRINT': {
        if (!current) throw new Error('PRINT before CLS');
        job.labels.push({ ...current, sets: Number(args[0]), copies: Number(args[1] ?? 1) });
        current = undefined;
        break;
      }
      default:
        job.settings[name] = rest;
    }
  }
  return job;
}

/**
 * Paints a label's BITMAP commands (and, with `withBars`, its BARs, in command order: bitmaps first,
 * as our encoder sends them) onto a white page of `widthDots × heightDots` as a 1 = black bitmap,
 * reading TSPL polarity (mode 0: a 0 bit is a black dot).
 */
export function composeTsplBitmap(
  label: TsplLabel,
  widthDots: number,
  heightDots: number,
  withBars = false,
): { widthDots: number; heightDots: number; bytesPerRow: number; rows: Uint8Array } {
  const bytesPerRow = Math.ceil(widthDots / 8);
  const rows = new Uint8Array(bytesPerRow * heightDots);
  for (const bm of label.bitmaps) {
    if (bm.mode !== 0) throw new Error(`BITMAP mode ${bm.mode} not handled`);
    for (let r = 0; r < bm.height; r++) {
      const Y = bm.y + r;
      if (Y < 0 || Y >= heightDots) continue;
      for (let c = 0; c < bm.widthBytes * 8; c++) {
        const X = bm.x + c;
        if (X < 0 || X >= widthDots) continue;
        const bit = (bm.data[r * bm.widthBytes + (c >> 3)]! >> (7 - (c & 7))) & 1;
        const mask = 0x80 >> (X & 7);
        // Overwrite: the bitmap's white dots erase, its black dots set.
        if (bit === 0) rows[Y * bytesPerRow + (X >> 3)]! |= mask;
        else rows[Y * bytesPerRow + (X >> 3)]! &= ~mask;
      }
    }
  }
  if (withBars) {
    for (const b of label.bars) {
      for (let Y = Math.max(0, b.y); Y < Math.min(heightDots, b.y + b.h); Y++) {
        for (let X = Math.max(0, b.x); X < Math.min(widthDots, b.x + b.w); X++)
          rows[Y * bytesPerRow + (X >> 3)]! |= 0x80 >> (X & 7);
      }
    }
  }
  return { widthDots, heightDots, bytesPerRow, rows };
}

/**
 * Draws what a TSPL printer would print for the native codes (BARCODE "128", QRCODE) onto a page from
 * composeTsplBitmap, so that zbarimg can scan the label as printed.
 */
export function paintNativeCodes(page: ReturnType<typeof composeTsplBitmap>, label: TsplLabel): void {
  const set = (x: number, y: number) => {
    if (x >= 0 && y >= 0 && x < page.widthDots && y < page.heightDots)
      page.rows[y * page.bytesPerRow + (x >> 3)]! |= 0x80 >> (x & 7);
  };
  const fill = (x: number, y: number, w: number, h: number) => {
    for (let Y = y; Y < y + h; Y++) for (let X = x; X < x + w; X++) set(X, Y);
  };
  for (const b of label.barcodes) {
    if (b.type !== '128') throw new Error(`BARCODE type ${b.type} not emulated`);
    for (const [start, width] of code128Pattern(b.content).bars)
      fill(b.x + start * b.narrow, b.y, width * b.narrow, b.height);
  }
  for (const q of label.qrcodes) {
    const m = qrMatrix(q.content);
    for (let y = 0; y < m.size; y++)
      for (let x = 0; x < m.size; x++)
        if (m.dark[y * m.size + x]) fill(q.x + x * q.cell, q.y + y * q.cell, q.cell, q.cell);
  }
}

/**
 * The tracking numbers of the complete labels a printer received, connection by connection: a
 * connection cut in the middle of a label leaves a torn tail, which no printer prints.
 */
export function completeLabels(connections: Array<{ bytes(): Buffer }>): string[] {
  const out: string[] = [];
  for (const c of connections) {
    const bytes = c.bytes();
    const end = bytes.lastIndexOf('\r\nPRINT ');
    if (end < 0) continue;
    const stop = bytes.indexOf('\r\n', end + 2);
    const whole = bytes.subarray(0, stop < 0 ? bytes.length : stop + 2);
    out.push(...decodeTspl(whole).labels.map((l) => l.barcodes[0]!.content));
  }
  return out;
}
