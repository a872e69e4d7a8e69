/**
 * The waybill fonts (Noto Sans CJK SC subsets from assets/fonts), read and parsed ONCE per process.
 * The same parsed fontkit objects serve text measurement (layout), pdfkit (which accepts a
 * fontkit font and embeds a per-document subset) and the canvas registration.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fontkit from 'fontkit';
import type { Font } from 'fontkit';
import type { TextMeasure } from '../../../shared/label/index.ts';

export const FONT_FILES = {
  regular: 'NotoSansCJKsc-Regular-waybill.otf',
  bold: 'NotoSansCJKsc-Bold-waybill.otf',
} as const;

/** assets/fonts in the repo; a packaged app may point DAIFA_FONT_DIR at its resources folder. */
export function fontDir(): string {
  return process.env['DAIFA_FONT_DIR'] ?? fileURLToPath(new URL('../../../assets/fonts/', import.meta.url));
}

export interface LoadedFace {
  path: string;
  buffer: Buffer;
  font: Font;
  /** Advance width in font units per code point, filled lazily. */
  advances: Map<number, number>;
}

export interface WaybillFonts {
  regular: LoadedFace;
  bold: LoadedFace;
  measure: TextMeasure;
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

function loadFace(file: string): LoadedFace {
  const path = join(fontDir(), file);
  const buffer = readFileSync(path);
  const font = fontkit.create(buffer) as Font;
  if (typeof font.glyphForCodePoint !== 'function') throw new Error(`${path} is a font collection, expected one face`);
  return { path, buffer, font, advances: new Map() };
}

function advance(face: LoadedFace, cp: number): number {
  let a = face.advances.get(cp);
  if (a === undefined) {
    a = face.font.glyphForCodePoint(cp).advanceWidth;
    face.advances.set(cp, a);
  }
  return a;
}

/** The process-wide fonts; the first call reads and parses them (≈ tens of ms), later calls are free. */
export function waybillFonts(): WaybillFonts {
  if (loaded) return loaded;
  const regular = loadFace(FONT_FILES.regular);
  const bold = loadFace(FONT_FILES.bold);
  fontLoadCount++;
  const upem = regular.font.unitsPerEm;
  // fontkit's cmap lookup is slow-ish and labels repeat the same few thousand characters.
  const glyphPresence = new Map<number, boolean>();
  const measure: TextMeasure = {
    width(text, sizePt, isBold) {
      const face = isBold ? bold : regular;
      let units = 0;
      for (let i = 0; i < text.length; i++) {
        const cp = text.codePointAt(i)!;
        if (cp > 0xffff) i++;
        units += advance(face, cp);
      }
      return (units * sizePt) / upem;
    },
    hasGlyph(cp) {
      // Both faces are cut from the same character list; checking one keeps them consistent.
      let has = glyphPresence.get(cp);
      if (has === undefined) {
        has = regular.font.hasGlyphForCodePoint(cp);
        glyphPresence.set(cp, has);
      }
      return has;
    },
  };
  loaded = { regular, bold, measure };
  return loaded;
}
