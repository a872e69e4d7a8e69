/**
 * Regenerates the fonts in assets/fonts that every label backend draws with (the table of files is
 * main/print/render/font-files.ts).
 *
 *   node scripts/build-font-subset.ts [folder of NotoSansCJK-{Regular,Bold}.ttc] [folder of HanaMinB.ttf]
 *
 * Sources, both under the SIL Open Font License 1.1 and both from Debian:
 * - Noto Sans CJK SC Regular and Bold (fonts-noto-cjk). The primary subset keeps what a Chinese waybill
 *   needs: every GBK character (GB2312 and the whole CJK Unified Ideographs block, punctuation, full-width
 *   forms and symbols), ASCII, and a short list of extra symbols. A second, "rare" subset holds Noto's
 *   CJK Ext-A and Ext-B characters; it is loaded only when a label needs one.
 * - HanaMinB of the Hanazono fonts (fonts-hanazono; OFL or the Hanazono licence), for the Ext-B characters
 *   Noto lacks, cut into slices that are loaded one at a time.
 * Anything else is drawn as a visible placeholder (□) and reported by the renderer.
 * harfbuzz's hb-subset runs as wasm (the harfbuzzjs package): nothing is downloaded.
 * The CFF outlines are desubroutinized: pdfkit (fontkit) then subsets them per document without
 * walking thousands of subroutines, which made per-label PDFs ~3× slower.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import type { Font } from 'fontkit';
import { FALLBACK_FONT_FILES, PRIMARY_FONT_FILES } from '../main/print/render/font-files.ts';

const DEFAULT_NOTO_DIR = '/usr/share/fonts/opentype/noto';
const DEFAULT_HANAZONO_DIR = '/usr/share/fonts/truetype/hanazono';
/** Regular for text, Bold for the routing code and the courier name. Each face is picked by PostScript name from its TTC. */
const NOTO_FACES = [
  { ttc: 'NotoSansCJK-Regular.ttc', postscriptName: 'NotoSansCJKsc-Regular', bold: false },
  { ttc: 'NotoSansCJK-Bold.ttc', postscriptName: 'NotoSansCJKsc-Bold', bold: true },
];

/** Characters outside GBK that still show up on Chinese labels (symbols), and names kept from the GB2312-only days. */
const EXTRA =
  '…□×÷±·—–‘’“”《》〈〉【】〔〕「」『』〖〗￥€℃№§※→←↑↓●○■△▲◆◇★☆✓✔✕✗' +
  '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳' +
  // Frequent in personal and place names but outside GB2312 (a pragmatic list, not a standard).
  '堃喆昇珺琮玥琪瑄璟晗煜熠皓祎禕垚淼鑫焱犇骉麤昶炜烨彧翀赟旻昱晟曦桠楠槿樾汐沅泓湉溢滢漪潇澍濛' +
  '婧婵嫣媛姝娅妍婕娣婳嫚妤宸琨琰瑾璇璐玮珏珩琬瑗璠玙璨谞諴龑奡犇赑骉垕埌堉塽墀嵘崟岍岜峣' +
  '啰呗咔嘞嗮氹冚圳坭埇垌墩岙嶴峪凼氻沤浉滘漖涌溪';

/**
 * Every character of GBK (CP936): GB2312 plus the rest of the CJK Unified Ideographs block. Names and place
 * names outside GB2312 are common (埇桥, 浉河, 喆, 堃…), and a □ in a receiver's address costs a parcel;
 * the price is about 3.4 MB more per face, with no measurable change in labels per second.
 */
function gbkCharacters(): string {
  const decoder = new TextDecoder('gbk');
  let out = '';
  // Lead bytes 0x81–0xFE, trail bytes 0x40–0xFE except 0x7F.
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const ch = decoder.decode(new Uint8Array([hi, lo]));
      if (ch.length > 0 && ch !== '\ufffd') out += ch;
    }
  }
  return out;
}

function asciiCharacters(): string {
  let out = '';
  for (let c = 0x20; c < 0x7f; c++) out += String.fromCharCode(c);
  return out;
}

/** Pull one face out of a TrueType/OpenType collection as a standalone sfnt (hb-subset reads face 0 only). */
function extractFace(ttc: Buffer, wanted: string): Buffer {
  if (ttc.toString('latin1', 0, 4) !== 'ttcf') return ttc;
  const numFonts = ttc.readUInt32BE(8);
  for (let i = 0; i < numFonts; i++) {
    const face = sfntFromCollection(ttc, ttc.readUInt32BE(12 + i * 4));
    if (postscriptName(face) === wanted) return face;
  }
  throw new Error(`${wanted} not found in the font collection`);
}

function sfntFromCollection(ttc: Buffer, dirOffset: number): Buffer {
  const numTables = ttc.readUInt16BE(dirOffset + 4);
  const tables: { tag: string; checksum: number; offset: number; length: number }[] = [];
  for (let t = 0; t < numTables; t++) {
    const rec = dirOffset + 12 + t * 16;
    tables.push({
      tag: ttc.toString('latin1', rec, rec + 4),
      checksum: ttc.readUInt32BE(rec + 4),
      offset: ttc.readUInt32BE(rec + 8),
      length: ttc.readUInt32BE(rec + 12),
    });
  }
  const headerSize = 12 + numTables * 16;
  let size = headerSize;
  for (const t of tables) size += (t.length + 3) & ~3;
  const out = Buffer.alloc(size);
  ttc.copy(out, 0, dirOffset, dirOffset + 12);
  let cursor = headerSize;
  tables.forEach((t, i) => {
    const rec = 12 + i * 16;
    out.write(t.tag, rec, 'latin1');
    out.writeUInt32BE(t.checksum, rec + 4);
    out.writeUInt32BE(cursor, rec + 8);
    out.writeUInt32BE(t.length, rec + 12);
    ttc.copy(out, cursor, t.offset, t.offset + t.length);
    cursor += (t.length + 3) & ~3;
  });
  return out;
}

/** nameID 6 from the 'name' table (Windows Unicode record). */
function postscriptName(sfnt: Buffer): string {
  const numTables = sfnt.readUInt16BE(4);
  for (let t = 0; t < numTables; t++) {
    const rec = 12 + t * 16;
    if (sfnt.toString('latin1', rec, rec + 4) !== 'name') continue;
    const base = sfnt.readUInt32BE(rec + 8);
    const count = sfnt.readUInt16BE(base + 2);
    const strings = base + sfnt.readUInt16BE(base + 4);
    for (let n = 0; n < count; n++) {
      const r = base + 6 + n * 12;
      if (sfnt.readUInt16BE(r) === 3 && sfnt.readUInt16BE(r + 6) === 6) {
        const len = sfnt.readUInt16BE(r + 8);
        const off = strings + sfnt.readUInt16BE(r + 10);
        // Copy first: swap16 works in place and would corrupt the face.
        return Buffer.from(sfnt.subarray(off, off + len))
          .swap16()
          .toString('utf16le');
      }
    }
  }
  return '';
}

const HB_MEMORY_MODE_WRITABLE = 2;
const HB_SUBSET_SETS_LAYOUT_FEATURE_TAG = 6;
const HB_SUBSET_FLAGS_NO_HINTING = 0x1;
// hb-subset.h: RETAIN_GIDS is 0x2, DESUBROUTINIZE 0x4.
const HB_SUBSET_FLAGS_DESUBROUTINIZE = 0x4;

interface HarfbuzzSubsetWasm {
  memory: WebAssembly.Memory;
  _initialize(): void;
  malloc(n: number): number;
  free(p: number): void;
  hb_blob_create(data: number, length: number, mode: number, userData: number, destroy: number): number;
  hb_blob_destroy(blob: number): void;
  hb_blob_get_data(blob: number, length: number): number;
  hb_blob_get_length(blob: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(face: number): void;
  hb_face_reference_blob(face: number): number;
  hb_set_add(set: number, value: number): void;
  hb_set_clear(set: number): void;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(input: number): void;
  hb_subset_input_set(input: number, which: number): number;
  hb_subset_input_unicode_set(input: number): number;
  hb_subset_input_set_flags(input: number, flags: number): void;
  hb_subset_or_fail(face: number, input: number): number;
}

function tag(s: string): number {
  return s.split('').reduce((a, ch) => ((a << 8) | ch.charCodeAt(0)) >>> 0, 0);
}

async function loadHarfbuzz(): Promise<HarfbuzzSubsetWasm> {
  const wasmPath = createRequire(import.meta.url).resolve('harfbuzzjs/dist/harfbuzz-subset.wasm');
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath));
  const hb = instance.exports as unknown as HarfbuzzSubsetWasm;
  hb._initialize();
  return hb;
}

/** hb-subset with: the given characters, only kern/liga, no hinting, desubroutinized CFF. */
function subset(hb: HarfbuzzSubsetWasm, font: Buffer, codePoints: Iterable<number>): Buffer {
  const input = hb.hb_subset_input_create_or_fail();
  if (input === 0) throw new Error('hb_subset_input_create_or_fail failed');
  const ptr = hb.malloc(font.byteLength);
  new Uint8Array(hb.memory.buffer).set(font, ptr);
  const blob = hb.hb_blob_create(ptr, font.byteLength, HB_MEMORY_MODE_WRITABLE, 0, 0);
  const face = hb.hb_face_create(blob, 0);
  hb.hb_blob_destroy(blob);
  try {
    // Labels are horizontal, unshaped CJK: vertical and proportional alternates only add bytes.
    const features = hb.hb_subset_input_set(input, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG);
    hb.hb_set_clear(features);
    hb.hb_set_add(features, tag('kern'));
    hb.hb_set_add(features, tag('liga'));
    const unicodes = hb.hb_subset_input_unicode_set(input);
    for (const cp of codePoints) hb.hb_set_add(unicodes, cp);
    hb.hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING | HB_SUBSET_FLAGS_DESUBROUTINIZE);
    const out = hb.hb_subset_or_fail(face, input);
    if (out === 0) throw new Error('hb_subset_or_fail failed: is the source font corrupted?');
    const result = hb.hb_face_reference_blob(out);
    const data = hb.hb_blob_get_data(result, 0);
    const length = hb.hb_blob_get_length(result);
    const bytes = Buffer.from(new Uint8Array(hb.memory.buffer, data, length));
    hb.hb_blob_destroy(result);
    hb.hb_face_destroy(out);
    if (length === 0) throw new Error('hb-subset produced an empty font');
    return bytes;
  } finally {
    hb.hb_subset_input_destroy(input);
    hb.hb_face_destroy(face);
    hb.free(ptr);
  }
}

function codePointsOf(text: string): Set<number> {
  return new Set(Array.from(text, (ch) => ch.codePointAt(0)!));
}

function inRanges(ranges: ReadonlyArray<readonly [number, number]>, has: (cp: number) => boolean): number[] {
  const out: number[] = [];
  for (const [a, b] of ranges) for (let cp = a; cp <= b; cp++) if (has(cp)) out.push(cp);
  return out;
}

function write(outDir: string, file: string, bytes: Buffer, chars: number): void {
  writeFileSync(join(outDir, file), bytes);
  console.log(`${file}: ${chars} characters, ${(bytes.length / 1024 / 1024).toFixed(2)} MB`);
}

async function main(): Promise<void> {
  const notoDir = process.argv[2] ?? DEFAULT_NOTO_DIR;
  const hanazonoDir = process.argv[3] ?? DEFAULT_HANAZONO_DIR;
  const primary = codePointsOf(asciiCharacters() + gbkCharacters() + EXTRA);
  const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets', 'fonts');
  mkdirSync(outDir, { recursive: true });
  const [rare, ...slices] = FALLBACK_FONT_FILES;
  if (!rare?.boldFile) throw new Error('font-files.ts: the first fallback must be the Noto rare subset');

  let noto: Font | undefined;
  for (const f of NOTO_FACES) {
    const face = extractFace(readFileSync(join(notoDir, f.ttc)), f.postscriptName);
    noto ??= fontkit.create(face) as Font;
    const notoFont = noto;
    // A fresh wasm instance per cut: hb-subset's heap does not give back what a large cut used.
    write(
      outDir,
      f.bold ? PRIMARY_FONT_FILES.bold : PRIMARY_FONT_FILES.regular,
      subset(await loadHarfbuzz(), face, primary),
      primary.size,
    );
    const rareChars = inRanges(rare.ranges, (cp) => !primary.has(cp) && notoFont.hasGlyphForCodePoint(cp));
    write(outDir, f.bold ? rare.boldFile : rare.file, subset(await loadHarfbuzz(), face, rareChars), rareChars.length);
  }
  const hanaMinB = readFileSync(join(hanazonoDir, 'HanaMinB.ttf'));
  const hana = fontkit.create(hanaMinB) as Font;
  for (const slice of slices) {
    const chars = inRanges(slice.ranges, (cp) => !noto!.hasGlyphForCodePoint(cp) && hana.hasGlyphForCodePoint(cp));
    write(outDir, slice.file, subset(await loadHarfbuzz(), hanaMinB, chars), chars.length);
  }
}

await main();
