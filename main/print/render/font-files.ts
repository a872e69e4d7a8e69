/**
 * The font files in assets/fonts and what each covers. `scripts/build-font-subset.ts` writes them from
 * this table, and `font.ts` reads them: the primary faces at start-up, the fallbacks only when a label
 * holds a character the primary faces lack.
 */

export const PRIMARY_FONT_FILES = {
  regular: 'NotoSansCJKsc-Regular-waybill.otf',
  bold: 'NotoSansCJKsc-Bold-waybill.otf',
} as const;

export interface FallbackFontFile {
  /** File name in assets/fonts. */
  file: string;
  /** Skia family name it is registered under. */
  family: string;
  /** Code point ranges (inclusive) the file was cut from; it holds the characters of these its source has. */
  ranges: ReadonlyArray<readonly [number, number]>;
  /** The same face's bold cut, when the source has one (Noto does; Hanazono is one weight). */
  boldFile?: string;
}

export const CJK_EXT_A: readonly [number, number] = [0x3400, 0x4dbf];
export const CJK_EXT_B: readonly [number, number] = [0x20000, 0x2a6df];

/** Ext-B in slices of at most 8,192 code points: hb-subset's wasm heap cannot cut the whole block at once. */
function extBSlices(): Array<readonly [number, number]> {
  const out: Array<readonly [number, number]> = [];
  for (let start = CJK_EXT_B[0]; start <= CJK_EXT_B[1]; start += 0x2000)
    out.push([start, Math.min(CJK_EXT_B[1], start + 0x1fff)]);
  return out;
}

const hex = (n: number) => n.toString(16).toUpperCase();

/**
 * Fallback faces, tried in this order for a character the primary faces lack:
 * 1. Noto Sans CJK SC's own Ext-A and Ext-B characters (all of Ext-A, the 2,108 Ext-B characters of
 *    Hong Kong and Taiwan use): the same design and weights as the rest of the label.
 * 2. HanaMinB (花園明朝, GlyphWiki; OFL), for the rest of Ext-B, one file per slice so a label with one
 *    rare character loads one slice.
 */
export const FALLBACK_FONT_FILES: readonly FallbackFontFile[] = [
  {
    file: 'NotoSansCJKsc-Regular-rare.otf',
    boldFile: 'NotoSansCJKsc-Bold-rare.otf',
    family: 'DaifaWaybillRare',
    ranges: [CJK_EXT_A, CJK_EXT_B],
  },
  ...extBSlices().map(([a, b]) => ({
    file: `HanaMinB-extB-${hex(a)}-${hex(b)}.ttf`,
    family: `DaifaWaybillExtB${hex(a)}`,
    ranges: [[a, b] as const],
  })),
];
