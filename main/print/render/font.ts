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
