/**
 * The electronic-waybill service (电子面单): a courier simulation inside the hub, behind an interface
 * so that a real courier or platform adapter (e.g. the platform's 电子面单 API) can replace it.
 *
 * Numbers come from a per-courier serial (allocated in blocks by a `SerialSource`, a database counter
 * in the hub), so two hub processes never hand out the same number; the `waybills.waybill_no` unique
 * constraint is the safety net, and the caller retries with fresh serials on a conflict.
 */
import { createHash } from 'node:crypto';
import type { Courier } from '../../shared/domain/index.ts';
import { COURIERS } from '../../shared/domain/couriers.ts';

export { COURIERS, COURIER_NAMES } from '../../shared/domain/couriers.ts';

/** The part of an address a courier routes on. */
export interface RoutingAddress {
  province: string;
  city: string;
  district: string;
  /** Street detail; picks the delivery segment (third part of 三段码). */
  detail: string;
}

/** 三段码 (sorting-centre, branch, delivery segment) and 大头笔 (the big printed destination words). */
export interface RoutingCode {
  /** e.g. `330-W05 117`. */
  sortCode: string;
  /** e.g. `杭州西湖`. */
  bigPen: string;
}

export interface WaybillRequest {
  orderSn: string;
  courier: Courier;
  address: RoutingAddress;
}

export interface IssuedNumber {
  orderSn: string;
  courier: Courier;
  waybillNo: string;
  routing: RoutingCode;
}

/** What the hub needs from a courier: numbers for orders, and cancelling a number it no longer uses. */
export interface ElectronicWaybillService {
  readonly couriers: readonly Courier[];
  /** Issues one number per request, in order. May be called again for the same order after a conflict. */
  issue(requests: readonly WaybillRequest[]): Promise<IssuedNumber[]>;
  /** Tells the courier a number will not be used (取消面单). */
  cancel(courier: Courier, waybillNo: string): Promise<void>;
}

/** Hands out serials per courier: `next(courier, n)` reserves n consecutive serials and returns the first. */
export interface SerialSource {
  next(courier: Courier, count: number): Promise<number>;
}

/** In-process serials, for tests and single-process tools. */
export function memorySerialSource(start = 1): SerialSource {
  const next = new Map<Courier, number>();
  return {
    async next(courier, count) {
      const first = next.get(courier) ?? start;
      next.set(courier, first + count);
      return first;
    },
  };
}

/**
 * Number formats as couriers issue them today (and as tracking-number validators check them):
 * - ZTO 中通: 14 digits beginning 73–76 or 78 (e.g. 75…, 78…).
 * - YTO 圆通: `YT` + 13 digits.
 * - YUNDA 韵达: 15 digits beginning 3 or 4 (43…, 46…, 31…).
 * - STO 申通: 15 digits beginning 77 (773…, 777…).
 * - JTSD 极兔: `JT` + 13 digits.
 * Each serial is spread over a fixed range under its courier's prefix, so numbers stay in format.
 */
interface NumberFormat {
  prefix: string;
  /** Digits after the prefix. */
  width: number;
  pattern: RegExp;
}

const FORMATS: Record<Courier, NumberFormat> = {
  ZTO: { prefix: '75', width: 12, pattern: /^7[3-68]\d{12}$/ },
  YTO: { prefix: 'YT', width: 13, pattern: /^YT\d{13}$/ },
  YUNDA: { prefix: '43', width: 13, pattern: /^[34]\d{14}$/ },
  STO: { prefix: '773', width: 12, pattern: /^77\d{13}$/ },
  JTSD: { prefix: 'JT', width: 13, pattern: /^JT\d{13}$/ },
};

/**
 * The serial's digits are scrambled by a fixed odd multiplier modulo 10^width, a bijection, so
 * consecutive orders do not get consecutive numbers (nor could a factory guess its neighbours'),
 * and distinct serials still give distinct numbers.
 */
export function formatWaybillNo(courier: Courier, serial: number): string {
  const f = FORMATS[courier];
  const mod = 10n ** BigInt(f.width);
  const s = BigInt(serial) % mod;
  const scrambled = (s * 7_919_000_019n + 104_729n) % mod;
  return f.prefix + scrambled.toString().padStart(f.width, '0');
}

export function isWaybillNoFormat(courier: Courier, waybillNo: string): boolean {
  return FORMATS[courier].pattern.test(waybillNo);
}

/**
 * GB/T 2260 province codes: the first two digits of the sorting-centre code, as on real labels
 * (310 is a Shanghai centre, 330 a Zhejiang one).
 */
const PROVINCE_CODES: ReadonlyArray<[string, string]> = [
  ['北京', '11'], ['天津', '12'], ['河北', '13'], ['山西', '14'], ['内蒙古', '15'],
  ['辽宁', '21'], ['吉林', '22'], ['黑龙江', '23'],
  ['上海', '31'], ['江苏', '32'], ['浙江', '33'], ['安徽', '34'], ['福建', '35'], ['江西', '36'], ['山东', '37'],
  ['河南', '41'], ['湖北', '42'], ['湖南', '43'], ['广东', '44'], ['广西', '45'], ['海南', '46'],
  ['重庆', '50'], ['四川', '51'], ['贵州', '52'], ['云南', '53'], ['西藏', '54'],
  ['陕西', '61'], ['甘肃', '62'], ['青海', '63'], ['宁夏', '64'], ['新疆', '65'],
  ['台湾', '71'], ['香港', '81'], ['澳门', '82'],
]; // prettier-ignore

function provinceCode(province: string): string {
  const p = province.trim();
  for (const [name, code] of PROVINCE_CODES) if (p.startsWith(name)) return code;
  return '9' + String(hashInt(p) % 10);
}

function hashInt(s: string): number {
  return createHash('sha256').update(s, 'utf8').digest().readUInt32BE(0);
}

/** 杭州市 → 杭州, 西湖区 → 西湖, 恩施土家族苗族自治州 → 恩施, 市辖区 → ''. */
export function shortPlaceName(name: string): string {
  const s = name.trim();
  if (s === '市辖区' || s === '县') return '';
  const m =
    /^(.{2,}?)(?:[\u4e00-\u9fff]{1,6}族)*(?:自治州|自治县|自治旗|特别行政区|地区|新区|盟|市|区|县|旗|省)$/u.exec(s);
  return m ? m[1]! : s;
}

/**
 * The routing code is a pure function of the address and courier: the same address always routes
 * the same way, which is what lets a reprint show the same 三段码.
 */
export function routingCodeFor(courier: Courier, a: RoutingAddress): RoutingCode {
  const region = `${a.province.trim()}|${a.city.trim()}`;
  const centre = provinceCode(a.province) + String(hashInt(`${courier}|${region}`) % 10);
  const branchNo = hashInt(`${courier}|${region}|${a.district.trim()}`) % 100;
  const branch = 'ABCDEFGHJKLMNPQRSTUVWXYZ'[branchNo % 24]! + String(branchNo).padStart(2, '0');
  const segment = String(hashInt(`${courier}|${region}|${a.district.trim()}|${a.detail.trim()}`) % 1000).padStart(
    3,
    '0',
  );
  const municipality = /^(北京|天津|上海|重庆)/.exec(a.province.trim())?.[1];
  const cityShort = municipality ?? shortPlaceName(a.city || a.province);
  const districtShort = shortPlaceName(a.district);
  return { sortCode: `${centre}-${branch} ${segment}`, bigPen: (cityShort + districtShort).slice(0, 8) };
}

/** The simulated courier: numbers in each courier's real format, routing codes from the address. */
export class SimulatedWaybillService implements ElectronicWaybillService {
  readonly couriers = COURIERS;
  readonly cancelled = new Set<string>();
  private readonly serials: SerialSource;

  constructor(serials: SerialSource) {
    this.serials = serials;
  }

  async issue(requests: readonly WaybillRequest[]): Promise<IssuedNumber[]> {
    const out: IssuedNumber[] = [];
    const byCourier = new Map<Courier, WaybillRequest[]>();
    for (const r of requests) {
      const list = byCourier.get(r.courier) ?? [];
      list.push(r);
      byCourier.set(r.courier, list);
    }
    const numbers = new Map<WaybillRequest, string>();
    for (const [courier, list] of byCourier) {
      const first = await this.serials.next(courier, list.length);
      list.forEach((r, i) => numbers.set(r, formatWaybillNo(courier, first + i)));
    }
    for (const r of requests) {
      out.push({
        orderSn: r.orderSn,
        courier: r.courier,
        waybillNo: numbers.get(r)!,
        routing: routingCodeFor(r.courier, r.address),
      });
    }
    return out;
  }

  async cancel(_courier: Courier, waybillNo: string): Promise<void> {
    // The simulation only remembers recent cancellations (for tests); a long-running hub must not grow.
    if (this.cancelled.size >= 10_000) this.cancelled.clear();
    this.cancelled.add(waybillNo);
  }
}
