/**
 * Text fitting: glyph substitution, line wrapping, shrink-to-fit and visible truncation.
 * Pure: widths come from an injected TextMeasure, so the same code serves every backend.
 */

/** Width source, implemented by the station from the shipped CJK font. */
export interface TextMeasure {
  /** Advance width of `text` at `sizePt`, in points. */
  width(text: string, sizePt: number, bold: boolean): number;
  /** Whether the font draws this code point (else it is replaced by the placeholder). */
  hasGlyph(codePoint: number): boolean;
}

/** Shown for a character the font lacks; it is in the subset, so it always renders. */
export const MISSING_GLYPH_PLACEHOLDER = '□';
export const ELLIPSIS = '…';

const segmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/**
 * BMP text without combining marks, joiners or variation selectors: every UTF-16 unit is one grapheme.
 * Almost every label field is like this, and splitting it directly is ~50× faster than Intl.Segmenter.
 */
const SIMPLE_TEXT =
  /^[\u0020-\u02ff\u0370-\u0482\u048a-\u0590\u2010-\u20cf\u2100-\u2dff\u2e80-\u3029\u3030-\u3098\u309b-\u9fff\uf900-\ufdff\uff00-\uffef]*$/;

export function graphemes(s: string): string[] {
  if (SIMPLE_TEXT.test(s)) return s.split('');
  const out: string[] = [];
  for (const { segment } of segmenter.segment(s)) out.push(segment);
  return out;
}

/** Code points that only modify the previous character and need no glyph of their own. */
function isInvisibleModifier(cp: number): boolean {
  return (
    cp === 0x200d || // zero-width joiner
    cp === 0x200b ||
    cp === 0x200c ||
    (cp >= 0xfe00 && cp <= 0xfe0f) || // variation selectors
    (cp >= 0xe0100 && cp <= 0xe01ef) ||
    (cp >= 0x1f3fb && cp <= 0x1f3ff) // skin tones: part of an emoji that is replaced whole
  );
}

/**
 * Replaces each grapheme the font cannot draw with □ (an emoji family or a rare hanzi
 * becomes one box) and collects what was replaced, in order of first appearance.
 */
export function substituteMissingGlyphs(text: string, measure: TextMeasure, missing: Set<string>): string {
  let out = '';
  let changed = false;
  for (const g of graphemes(text)) {
    let ok = true;
    for (const ch of g) {
      const cp = ch.codePointAt(0)!;
      if (!isInvisibleModifier(cp) && !measure.hasGlyph(cp)) {
        ok = false;
        break;
      }
    }
    if (ok) {
      // Joiners and variation selectors have no glyph of their own: drop them so they take no width.
      let kept = '';
      for (const ch of g) if (!isInvisibleModifier(ch.codePointAt(0)!)) kept += ch;
      if (kept !== g) changed = true;
      out += kept;
    } else {
      missing.add(g);
      out += MISSING_GLYPH_PLACEHOLDER;
      changed = true;
    }
  }
  return changed ? out : text;
}

/**
 * Latin words and numbers stay together when they fit on a line; CJK breaks between any two characters.
 * "×2" (a quantity) is one word, so a count is never split from its sign.
 */
const WORD_CHAR = /^[A-Za-z0-9@._\-/#+*()×]$/;
/** Characters that must not start a line (避头): they are kept with the previous token. */
const NO_LINE_START = new Set(Array.from('，。、；：？！）》」』】〕…,.;:?!)%'));

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let word = '';
  for (const g of graphemes(text)) {
    if (WORD_CHAR.test(g)) {
      word += g;
      continue;
    }
    if (word) {
      tokens.push(word);
      word = '';
    }
    if (NO_LINE_START.has(g) && tokens.length > 0) tokens[tokens.length - 1] += g;
    else tokens.push(g);
  }
  if (word) tokens.push(word);
  return tokens;
}

/** A text split into wrap tokens with their widths at 1 pt (advance widths scale linearly with size). */
export interface PreparedText {
  tokens: string[];
  unitWidths: number[];
  bold: boolean;
}

export function prepareText(text: string, bold: boolean, measure: TextMeasure): PreparedText {
  const tokens = tokenize(text);
  return { tokens, unitWidths: tokens.map((t) => measure.width(t, 1, bold)), bold };
}

/**
 * Greedy wrap into lines no wider than maxWidthPt. A token wider than a whole line is split
 * between graphemes. Leading spaces on continuation lines are dropped.
 */
export function wrapPrepared(p: PreparedText, sizePt: number, maxWidthPt: number, measure: TextMeasure): string[] {
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  const push = () => {
    lines.push(line.trimEnd());
    line = '';
    lineWidth = 0;
  };
  for (let i = 0; i < p.tokens.length; i++) {
    const token = p.tokens[i]!;
    if (line === '' && token === ' ') continue;
    const w = p.unitWidths[i]! * sizePt;
    if (lineWidth + w <= maxWidthPt) {
      line += token;
      lineWidth += w;
      continue;
    }
    if (line !== '' && w <= maxWidthPt) {
      push();
      if (token === ' ') continue;
      line = token;
      lineWidth = w;
      continue;
    }
    // Too wide for any line: break it between graphemes.
    for (const g of graphemes(token)) {
      const gw = measure.width(g, sizePt, p.bold);
      if (line !== '' && lineWidth + gw > maxWidthPt) push();
      if (line === '' && g === ' ') continue;
      line += g;
      lineWidth += gw;
    }
  }
  if (line.trim() !== '') push();
  return lines;
}

/**
 * Cuts `line` so that line + … fits maxWidthPt. The ellipsis is always shown, so a reader
 * sees that text is missing.
 */
export function ellipsize(
  line: string,
  sizePt: number,
  bold: boolean,
  maxWidthPt: number,
  measure: TextMeasure,
): string {
  const g = graphemes(line.trimEnd());
  const ellipsisW = measure.width(ELLIPSIS, sizePt, bold);
  let width = 0;
  let out = '';
  for (const ch of g) {
    const w = measure.width(ch, sizePt, bold);
    if (width + w + ellipsisW > maxWidthPt) break;
    out += ch;
    width += w;
  }
  return out.trimEnd() + ELLIPSIS;
}
