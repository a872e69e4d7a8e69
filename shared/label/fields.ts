/** Resolves a template's {placeholders} from LabelData, and summarises the goods so they fit. */
import type { LabelData, LabelGoodsItem } from './schema.ts';
import type { FieldKey } from './template.ts';
import { chinaMinute } from '../domain/china-time.ts';

/** printedAt is shown in China time whatever the station's clock zone, so labels read the same everywhere. */
export function formatPrintedAt(iso: string): string {
  return chinaMinute(iso);
}

/** Line breaks and tabs inside a field become spaces: the engine wraps by itself. */
function clean(s: string): string {
  return s.replace(/[\r\n\t\v\f]+/g, ' ').trim();
}

export function fieldValue(data: LabelData, key: FieldKey): string {
  switch (key) {
    case 'courierName':
      return clean(data.courier.name || data.courier.code);
    case 'courierCode':
      return clean(data.courier.code);
    case 'routingCode':
      return clean(data.routingCode);
    case 'bigPen':
      return clean(data.bigPen);
    case 'packageCenter.name':
      return clean(data.packageCenter.name);
    case 'packageCenter.code':
      return clean(data.packageCenter.code);
    case 'pieces':
      return `${data.pieces.index}/${data.pieces.total}`;
    case 'waybillNo':
      return data.waybillNo;
    case 'receiver.name':
      return clean(data.receiver.name);
    case 'receiver.phone':
      return clean(data.receiver.phone);
    case 'receiver.address':
      return clean(data.receiver.address);
    case 'sender.name':
      return clean(data.sender.name);
    case 'sender.phone':
      return clean(data.sender.phone);
    case 'sender.address':
      return clean(data.sender.address);
    case 'orderSn':
      return clean(data.orderSn);
    case 'printedAt':
      return formatPrintedAt(data.printedAt);
    case 'remark':
      return clean(data.remark ?? '');
    case 'goods':
      return goodsCandidates(data.items)[0] ?? '';
  }
}

/** "纯棉T恤 白色/XL ×2"; an empty spec leaves no double space. */
export function formatGoodsItem(item: LabelGoodsItem): string {
  const name = clean(item.goodsName);
  const spec = clean(item.spec);
  return `${name}${spec ? ' ' + spec : ''} ×${item.quantity}`;
}

export function totalQuantity(items: readonly LabelGoodsItem[]): number {
  return items.reduce((n, i) => n + i.quantity, 0);
}

/**
 * The goods summary in order of preference: every item, then the first k items followed by
 * "等N件" (N = total pieces) for k = n−1 … 1. The layout engine takes the first that fits,
 * so a 30-item order reads "纯棉T恤 白色/XL ×2；… 等30件" instead of being cut mid-word.
 */
export function goodsCandidates(items: readonly LabelGoodsItem[]): string[] {
  if (items.length === 0) return ['（无商品明细）'];
  const parts = items.map(formatGoodsItem);
  const total = totalQuantity(items);
  const out = [parts.join('；')];
  // Past ~40 items the long forms can never fit a label; skipping them keeps the search cheap.
  for (let k = Math.min(parts.length - 1, 40); k >= 1; k--) {
    out.push(`${parts.slice(0, k).join('；')} 等${total}件`);
  }
  // A first item too long even alone: cut it (visibly) but keep the count, which matters more.
  if (parts.length > 1) {
    const first = Array.from(parts[0]!);
    for (const len of [48, 32, 20, 12, 6]) {
      if (first.length > len) out.push(`${first.slice(0, len).join('').trimEnd()}… 等${total}件`);
    }
  }
  return out;
}

const PLACEHOLDER = /\{([a-zA-Z.]+)\}/g;

const KNOWN_KEYS = new Set<string>([
  'courierName',
  'courierCode',
  'routingCode',
  'bigPen',
  'packageCenter.name',
  'packageCenter.code',
  'pieces',
  'waybillNo',
  'receiver.name',
  'receiver.phone',
  'receiver.address',
  'sender.name',
  'sender.phone',
  'sender.address',
  'orderSn',
  'printedAt',
  'remark',
  'goods',
]);

function isFieldKey(k: string): k is FieldKey {
  return KNOWN_KEYS.has(k);
}

/**
 * Every text the element may show, best first. Only {goods} has alternatives; an unknown
 * placeholder is left as written so a template typo is visible on the label, not hidden.
 */
export function resolveText(template: string, data: LabelData): string[] {
  if (!template.includes('{goods}')) return [substitute(template, data, '')];
  return goodsCandidates(data.items).map((g) => substitute(template, data, g));
}

function substitute(template: string, data: LabelData, goods: string): string {
  return template.replace(PLACEHOLDER, (whole, key: string) => {
    if (!isFieldKey(key)) return whole;
    return key === 'goods' ? goods : fieldValue(data, key);
  });
}
