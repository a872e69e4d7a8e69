/**
 * Desensitising (脱敏) consumer data before it reaches a factory (M4).
 * Every function is total: empty, one-character, emoji, combining-mark and very long input
 * all give a masked string and never throw. Work is done on grapheme clusters, so an emoji
 * or a rare CJK character (outside the BMP) is never split into half a surrogate pair.
 */
import type { MaskedRecipient, Recipient } from './types.ts';

const MASK = '*';
/** Detail is replaced whole: its length must not leak either. */
export const MASKED_DETAIL = '****';

/** Two-character surnames (复姓). A name starting with one keeps the surname and masks the given name. */
const COMPOUND_SURNAMES = new Set(
  (
    '欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 端木 独孤 南宫 ' +
    '万俟 闻人 澹台 公冶 申屠 太史 濮阳 呼延 赫连 西门 拓跋 百里 东郭 第五 司空 淳于 单于 公羊 ' +
    '仲孙 亓官 司寇 子车 颛孙 壤驷 公良 漆雕 乐正 宰父 谷梁 段干 左丘 东门 梁丘 羊舌 微生 公西'
  ).split(' '),
);

const segmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/** Split into user-perceived characters. Input is capped first so a hostile megabyte string stays cheap. */
function graphemes(s: string, cap = 256): string[] {
  const out: string[] = [];
  for (const { segment } of segmenter.segment(s.slice(0, cap * 4))) {
    out.push(segment);
    if (out.length >= cap) break;
  }
  return out;
}

/**
 * 张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧阳**, 买买提·艾力 → 买**力.
 * At most two mask characters are shown past three characters, so the length of a long name does not leak.
 */
export function maskName(name: string): string {
  const g = graphemes(name.trim());
  if (g.length === 0) return '';
  if (g.length === 1) return MASK;
  const surname = g.length >= 3 ? g[0]! + g[1]! : '';
  if (COMPOUND_SURNAMES.has(surname)) return surname + MASK.repeat(Math.min(g.length - 2, 2));
  if (g.length === 2) return g[0] + MASK;
  if (g.length === 3) return g[0] + MASK + g[2];
  return g[0] + MASK.repeat(2) + g[g.length - 1];
}

/**
 * 13812345678 → 138****5678 (also with +86 and separators), 010-12345678 → 010-****5678,
 * a foreign number keeps its country code and last four digits. Anything that is not a
 * phone number is masked whole.
 */
export function maskPhone(phone: string): string {
  const raw = phone.trim().slice(0, 64);
  if (raw === '') return '';
  // Extensions (分机, 转, ext, #, a trailing -NNNN on a privacy number) are masked whole.
  const extMatch = /^(.*?)(?:\s*(?:转|分机|ext\.?|x|#)\s*|-)(\d{1,6})$/i.exec(raw);
  const hasExt = extMatch !== null && isCompleteNumber(extMatch[1]!);
  const main = hasExt ? extMatch![1]! : raw;
  const ext = hasExt ? '-' + MASK.repeat(extMatch![2]!.length) : '';
  if (!/^[+\d][\d\s\-()]*$/.test(main)) return MASK.repeat(4);

  const digits = digitsOf(main);
  const mobile = chineseMobile(main);
  if (mobile) {
    const prefix = digits.length > 11 ? '+86 ' : '';
    return prefix + mobile.slice(0, 3) + MASK.repeat(4) + mobile.slice(7) + ext;
  }
  const land = chineseLandline(main);
  if (land) return `${land.area}-${MASK.repeat(land.subscriber.length - 4)}${land.subscriber.slice(-4)}${ext}`;
  // International: keep "+CC" as written before the first separator, and the last four digits.
  if (main.startsWith('+') && digits.length >= 8) {
    const cc = /^\+(\d{1,3})[\s\-(]/.exec(main)?.[1] ?? digits.slice(0, 2);
    return `+${cc} ${MASK.repeat(6)}${digits.slice(-4)}${ext}`;
  }
  if (digits.length >= 7) return MASK.repeat(8) + digits.slice(-4) + ext;
  return MASK.repeat(4);
}

/** An 11-digit mainland mobile, written bare, with 86/0086, or with +86; never another country's +1… number. */
function chineseMobile(main: string): string | null {
  const digits = digitsOf(main);
  if (main.startsWith('+') && !main.startsWith('+86')) return null;
  return /^(?:0086|86)?(1[3-9]\d{9})$/.exec(digits)?.[1] ?? null;
}

/** 0 + area code (10, 2X, or three digits) + a 7–8 digit subscriber number. */
function chineseLandline(main: string): { area: string; subscriber: string } | null {
  if (main.startsWith('+')) return null;
  const m = /^(0(?:10|2\d|[3-9]\d{2}))(\d{7,8})$/.exec(digitsOf(main));
  return m ? { area: m[1]!, subscriber: m[2]! } : null;
}

function isCompleteNumber(main: string): boolean {
  return chineseMobile(main) !== null || chineseLandline(main) !== null;
}

function digitsOf(s: string): string {
  return s.replace(/\D/g, '');
}

/** The region part of a recipient is kept for routing; the street detail is masked whole (M4). */
export function maskRecipient(r: Recipient): MaskedRecipient {
  return {
    name: maskName(r.name),
    phone: maskPhone(r.phone),
    province: clampText(r.province, 32),
    city: clampText(r.city, 32),
    district: clampText(r.district, 32),
    detail: r.detail.trim() === '' ? '' : MASKED_DETAIL,
  };
}

/**
 * A free-form Chinese address (as a merchant may paste it): province, city and district are kept,
 * everything after them becomes ****. An address whose district cannot be found keeps only what
 * was recognised, so an unparsed street never leaks.
 */
export function maskAddressText(address: string): string {
  const s = address.trim().slice(0, 512);
  if (s === '') return '';
  const region = parseRegionPrefix(s);
  const kept = region.province + region.city + region.district;
  return kept.length < s.length ? kept + MASKED_DETAIL : kept;
}

const MUNICIPALITY = /^(北京|天津|上海|重庆)(市)?/;
const PROVINCE =
  /^(?:[\u4e00-\u9fff]{2,3}省|内蒙古自治区|广西壮族自治区|西藏自治区|宁夏回族自治区|新疆维吾尔自治区|香港特别行政区|澳门特别行政区|内蒙古|广西|西藏|宁夏|新疆|香港|澳门|台湾)/;
const CITY = /^[\u4e00-\u9fff]{1,12}?(?:自治州|地区|盟|市)/;
const DISTRICT = /^[\u4e00-\u9fff]{1,12}?(?:自治县|自治旗|新区|区|县|旗|市)/;

export function parseRegionPrefix(s: string): { province: string; city: string; district: string; rest: string } {
  let rest = s.replace(/^\s+/, '');
  let province = '';
  let city = '';
  const muni = MUNICIPALITY.exec(rest);
  if (muni) {
    // A municipality is its own city: the text form names it once.
    province = muni[0];
    rest = rest.slice(muni[0].length).replace(/^\s+/, '');
    // "北京市北京市朝阳区" and "北京市市辖区" forms.
    if (rest.startsWith(muni[1]! + '市')) rest = rest.slice(muni[1]!.length + 1);
    if (rest.startsWith('市辖区')) rest = rest.slice(3);
  } else {
    const p = PROVINCE.exec(rest);
    if (p) {
      province = p[0];
      rest = rest.slice(p[0].length).replace(/^\s+/, '');
    }
    const c = CITY.exec(rest);
    if (c && province) {
      city = c[0];
      rest = rest.slice(c[0].length).replace(/^\s+/, '');
    }
  }
  let district = '';
  const d = province ? DISTRICT.exec(rest) : null;
  if (d) {
    district = d[0];
    rest = rest.slice(d[0].length);
  }
  return { province, city, district, rest };
}

function clampText(s: string, max: number): string {
  const g = graphemes(s.trim(), max + 1);
  return g.length > max ? g.slice(0, max).join('') + '…' : g.join('');
}
