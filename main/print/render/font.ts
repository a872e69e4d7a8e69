/**
 * The waybill fonts (assets/fonts, listed in font-files.ts), each read and parsed at most ONCE per process.
 * The same parsed fontkit objects serve text measurement (layout), pdfkit (which accepts a fontkit font
 * and embeds a per-document subset) and the canvas registration.
 *
 * The primary faces (Noto Sans CJK SC, GBK) load at start-up. A character they lack is looked up in the
 * fallback faces (Noto's CJK Ext-A/Ext-B, then HanaMinB's Ext-B slices), which are read only when a label
 * first needs one of their characters: start-up costs what it did, and a rare character costs one file
 * read and parse once per process.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fontkit from 'fontkit';
import type { Font } from 'fontkit';
import type { TextMeasure } from '../../../shared/label/index.ts';
import { FALLBACK_FONT_FILES, PRIMARY_FONT_FILES, type FallbackFontFile } from './font-files.ts';

export const FONT_FILES = PRIMARY_FONT_FILES;
/** Skia family names of the primary faces. */
export const FAMILY_REGULAR = 'DaifaWaybillSans';
export const FAMILY_BOLD = 'DaifaWaybillSansBold';

/** assets/fonts in the repo; a packaged app may point DAIFA_FONT_DIR at its resources folder. */
export function fontDir(): string {
  return process.env['DAIFA_FONT_DIR'] ?? fileURLToPath(new URL('../../../assets/fonts/', import.meta.url));
}

export interface LoadedFace {
  path: string;
  buffer: Buffer;
  font: Font;
  /** The name the face is registered under with Skia. */
  family: string;
  /** Whether this is a bold cut (a fallback without one serves bold text with its regular cut). */
  bold: boolean;
  unitsPerEm: number;
}

export interface WaybillFonts {
  regular: LoadedFace;
  bold: LoadedFace;
  measure: TextMeasure;
  /** The face that draws `cp` in this weight: a primary face, a fallback, or null when none has it. */
  faceFor(cp: number, bold: boolean): LoadedFace | null;
}

/** A stretch of text drawn with one face. */
export interface FaceRun {
  text: string;
  face: LoadedFace;
}

/**
 * The face as pdfkit should see it: the same parsed font, but `layout()` maps each code point to
 * its glyph and advance, with no OpenType shaping. That is exactly how the layout engine measured
 * the text (so PDF text fits its box by construction), and it skips fontkit's GSUB/GPOS pass,
 * which was the largest cost of a one-label PDF. Waybill text (CJK, digits, Latin) needs no shaping.
 */
export function unshapedFont(face: LoadedFace): Font {
  const existing = unshaped.get(face);
  if (existing) return existing;
  const font = face.font;
  const glyphs = new Map<number, ReturnType<Font['glyphForCodePoint']>>();
  const layout = (text: string) => {
    const runGlyphs: Array<ReturnType<Font['glyphForCodePoint']>> = [];
    const positions: Array<{ xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }> = [];
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      let g = glyphs.get(cp);
      if (!g) {
        g = font.glyphForCodePoint(cp);
        glyphs.set(cp, g);
      }
      runGlyphs.push(g);
      positions.push({ xAdvance: g.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 });
    }
    return {
      glyphs: runGlyphs,
      positions,
      // pdfkit scales the positions in place, then reads the run's width: compute it on demand.
      get advanceWidth() {
        let w = 0;
        for (const p of positions) w += p.xAdvance;
        return w;
      },
    };
  };
  const bound = new Map<PropertyKey, unknown>();
  const proxy = new Proxy(font, {
    get(target, prop) {
      if (prop === 'layout') return layout;
      const v: unknown = Reflect.get(target, prop, target);
      if (typeof v !== 'function') return v;
      let b = bound.get(prop);
      if (!b) {
        b = (v as (...a: unknown[]) => unknown).bind(target);
        bound.set(prop, b);
      }
      return b;
    },
  });
  unshaped.set(face, proxy);
  return proxy;
}

const unshaped = new WeakMap<LoadedFace, Font>();

let loaded: WaybillFonts | null = null;
/** How many times the font files were read and parsed in this process (tests assert it stays 1). */
export let fontLoadCount = 0;

function loadFace(file: string, family: string, bold: boolean): LoadedFace {
  const path = join(fontDir(), file);
  const buffer = readFileSync(path);
  const font = fontkit.create(buffer) as Font;
  if (typeof font.glyphForCodePoint !== 'function') throw new Error(`${path} is a font collection, expected one face`);
  return { path, buffer, font, family, bold, unitsPerEm: font.unitsPerEm };
}

/** A fallback file's faces once read: its regular cut and, when it has one, its bold cut. */
interface LoadedFallback {
  regular: LoadedFace;
  bold: LoadedFace;
}

/** When each fallback file was first needed and what reading it cost (the label benchmark reports it). */
export const fallbackLoads: Array<{ file: string; ms: number }> = [];

function loadFallback(f: FallbackFontFile): LoadedFallback {
  const started = performance.now();
  const regular = loadFace(f.file, f.family, false);
  const bold = f.boldFile ? loadFace(f.boldFile, `${f.family}Bold`, true) : regular;
  fallbackLoads.push({ file: f.file, ms: performance.now() - started });
  return { regular, bold };
}

/** The process-wide fonts; the first call reads and parses the primary faces (≈ tens of ms), later calls are free. */
export function waybillFonts(): WaybillFonts {
  if (loaded) return loaded;
  const regular = loadFace(FONT_FILES.regular, FAMILY_REGULAR, false);
  const bold = loadFace(FONT_FILES.bold, FAMILY_BOLD, true);
  fontLoadCount++;
  const fallbacks = new Map<FallbackFontFile, LoadedFallback>();
  // Per code point: -1 = the primary faces draw it, -2 = no bundled face does, i ≥ 0 = FALLBACK_FONT_FILES[i].
  // fontkit's cmap lookup is slow-ish and labels repeat the same few thousand characters.
  const owner = new Map<number, number>();
  const ownerOf = (cp: number): number => {
    let o = owner.get(cp);
    if (o !== undefined) return o;
    // Both primary faces are cut from the same character list; checking one keeps them consistent.
    o = regular.font.hasGlyphForCodePoint(cp) ? -1 : -2;
    if (o === -2) {
      for (let i = 0; i < FALLBACK_FONT_FILES.length; i++) {
        const f = FALLBACK_FONT_FILES[i]!;
        if (!f.ranges.some(([a, b]) => cp >= a && cp <= b)) continue;
        let fb = fallbacks.get(f);
        if (!fb) {
          fb = loadFallback(f);
          fallbacks.set(f, fb);
        }
        if (fb.regular.font.hasGlyphForCodePoint(cp)) {
          o = i;
          break;
        }
      }
    }
    owner.set(cp, o);
    return o;
  };
  const faceFor = (cp: number, isBold: boolean): LoadedFace | null => {
    const o = ownerOf(cp);
    if (o === -1) return isBold ? bold : regular;
    if (o === -2) return null;
    const fb = fallbacks.get(FALLBACK_FONT_FILES[o]!)!;
    return isBold ? fb.bold : fb.regular;
  };
  // Advance widths in em per code point, for each weight: one map lookup per character when measuring.
  const emAdvances = [new Map<number, number>(), new Map<number, number>()] as const;
  const measure: TextMeasure = {
    width(text, sizePt, isBold) {
      const cache = emAdvances[isBold ? 1 : 0];
      let width = 0;
      for (let i = 0; i < text.length; i++) {
        const cp = text.codePointAt(i)!;
        if (cp > 0xffff) i++;
        let em = cache.get(cp);
        if (em === undefined) {
          const face = faceFor(cp, isBold) ?? (isBold ? bold : regular);
          em = face.font.glyphForCodePoint(cp).advanceWidth / face.unitsPerEm;
          cache.set(cp, em);
        }
        width += em;
      }
      return width * sizePt;
    },
    hasGlyph(cp) {
      return ownerOf(cp) !== -2;
    },
  };
  loaded = { regular, bold, measure, faceFor };
  return loaded;
}

/**
 * `text` split into runs that one face draws each (a name with 𠀾 in it is three runs). A character no
 * face has stays with the run before it (the layout has already replaced it with □, which every face has).
 */
export function faceRuns(text: string, bold: boolean): FaceRun[] {
  const fonts = waybillFonts();
  const primary = bold ? fonts.bold : fonts.regular;
  const runs: FaceRun[] = [];
  let current: FaceRun | null = null;
  for (const ch of text) {
    const face: LoadedFace = fonts.faceFor(ch.codePointAt(0)!, bold) ?? current?.face ?? primary;
    if (current && current.face === face) current.text += ch;
    else {
      current = { text: ch, face };
      runs.push(current);
    }
  }
  return runs;
}
