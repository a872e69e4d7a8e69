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
import type { RoutingCode } from '../../shared/api/print-payload.ts';
import { COURIERS, WAYBILL_NO_FORMATS } from '../../shared/domain/couriers.ts';

export { COURIERS, COURIER_NAMES, isWaybillNoFormat } from '../../shared/domain/couriers.ts';

/** The part of an address a courier routes on. */
export interface RoutingAddress {
  province: string;
  city: string;
  district: string;
  /** Street detail; picks the delivery segment (third part of 三段码). */
  detail: string;
}

/** 三段码, 大头笔 and 集包地, as the print payload carries them (one schema: shared/api/print-payload.ts). */
export type { RoutingCode };

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
 * Serials taken from `source` a block at a time and handed out from memory: asking the database for
 * every request's numbers cost a transaction (and a commit) per request. Blocks of one process never
 * overlap another's, since each comes from the shared counter; a restart leaves the rest of a block
 * unused, a harmless gap in numbers that are scrambled anyway.
 */
export function blockSerialSource(source: SerialSource, blockSize: number): SerialSource {
  const blocks = new Map<Courier, { next: number; end: number }>();
  // One refill at a time per courier, so two requests never both reserve a block for the same need.
  const queue = new Map<Courier, Promise<unknown>>();
  return {
    next(courier, count) {
      const run = (queue.get(courier) ?? Promise.resolve()).then(async () => {
        let b = blocks.get(courier);
        if (!b || b.end - b.next < count) {
          const size = Math.max(blockSize, count);
          const first = await source.next(courier, size);
          b = { next: first, end: first + size };
          blocks.set(courier, b);
        }
        const first = b.next;
        b.next += count;
        return first;
      });
      queue.set(
        courier,
        run.catch(() => undefined),
      );
      return run;
    },
  };
}

/**
 * The serial's digits are scrambled by a fixed odd multiplier modulo 10^width, a bijection, so
 * consecutive orders do not get consecutive numbers (nor could a factory guess its neighbours'),
 * and distinct serials still give distinct numbers.
 */
export function formatWaybillNo(courier: Courier, serial: number): string {
  const f = WAYBILL_NO_FORMATS[courier];
  const mod = 10n ** BigInt(f.width);
  const s = BigInt(serial) % mod;
  const scrambled = (s * 7_919_000_019n + 104_729n) % mod;
  return f.prefix + scrambled.toString().padStart(f.width, '0');
}

/**
 * GB/T 2260 province codes (the first two digits of the sorting-centre code, as on real labels: 310 is a
 * Shanghai centre, 330 a Zhejiang one) and the provinces' one-character abbreviations (简称), which some
 * couriers put before the city in their 大头笔.
 */
const PROVINCES: ReadonlyArray<[name: string, code: string, abbr: string]> = [
  ['北京', '11', '京'], ['天津', '12', '津'], ['河北', '13', '冀'], ['山西', '14', '晋'], ['内蒙古', '15', '蒙'],
  ['辽宁', '21', '辽'], ['吉林', '22', '吉'], ['黑龙江', '23', '黑'],
  ['上海', '31', '沪'], ['江苏', '32', '苏'], ['浙江', '33', '浙'], ['安徽', '34', '皖'], ['福建', '35', '闽'],
  ['江西', '36', '赣'], ['山东', '37', '鲁'],
  ['河南', '41', '豫'], ['湖北', '42', '鄂'], ['湖南', '43', '湘'], ['广东', '44', '粤'], ['广西', '45', '桂'],
  ['海南', '46', '琼'],
  ['重庆', '50', '渝'], ['四川', '51', '川'], ['贵州', '52', '黔'], ['云南', '53', '滇'], ['西藏', '54', '藏'],
  ['陕西', '61', '陕'], ['甘肃', '62', '甘'], ['青海', '63', '青'], ['宁夏', '64', '宁'], ['新疆', '65', '新'],
  ['台湾', '71', '台'], ['香港', '81', '港'], ['澳门', '82', '澳'],
]; // prettier-ignore

function province(name: string): { code: string; abbr: string } {
  const p = name.trim();
  for (const [prefix, code, abbr] of PROVINCES) if (p.startsWith(prefix)) return { code, abbr };
  return { code: '9' + String(hashInt(p) % 10), abbr: p.slice(0, 1) };
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
 * How each courier writes its 大头笔 and names its consolidation hubs (集包地). Couriers print the
 * destination in their own style — with or without the province's abbreviation, with a space or a dash —
 * and call the hub a 转运中心 or a 分拨中心.
 */
const COURIER_STYLE: Record<Courier, { bigPen: (p: Place) => string; hub: string }> = {
  ZTO: { bigPen: (p) => `${p.abbr}${p.city} ${p.district}`, hub: '转运中心' },
  YTO: { bigPen: (p) => `${p.city}${p.district}`, hub: '转运中心' },
  YUNDA: { bigPen: (p) => `${p.abbr}-${p.city}${p.district}`, hub: '分拨中心' },
  STO: { bigPen: (p) => `${p.city} ${p.district}`, hub: '转运中心' },
  JTSD: { bigPen: (p) => `${p.city}${p.district}`, hub: '转运中心' },
};

interface Place {
  abbr: string;
  city: string;
  district: string;
}

/**
 * The routing code is a pure function of the address and courier: the same address always routes
 * the same way, which is what lets a reprint show the same 三段码, 大头笔 and 集包地. The 集包地 is the
 * courier's hub for the destination city; its code starts with the sorting centre of the 三段码.
 */
export function routingCodeFor(courier: Courier, a: RoutingAddress): RoutingCode {
  const region = `${a.province.trim()}|${a.city.trim()}`;
  const prov = province(a.province);
  const centre = prov.code + String(hashInt(`${courier}|${region}`) % 10);
  const branchNo = hashInt(`${courier}|${region}|${a.district.trim()}`) % 100;
  const branch = 'ABCDEFGHJKLMNPQRSTUVWXYZ'[branchNo % 24]! + String(branchNo).padStart(2, '0');
  const segment = String(hashInt(`${courier}|${region}|${a.district.trim()}|${a.detail.trim()}`) % 1000).padStart(
    3,
    '0',
  );
  const municipality = /^(北京|天津|上海|重庆)/.exec(a.province.trim())?.[1];
  const place: Place = {
    abbr: prov.abbr,
    city: (municipality ?? shortPlaceName(a.city || a.province)).slice(0, 6),
    district: shortPlaceName(a.district).slice(0, 6),
  };
  const style = COURIER_STYLE[courier];
  const hubCity = place.city || prov.abbr;
  return {
    sortCode: `${centre}-${branch} ${segment}`,
    bigPen: style.bigPen(place).trim(),
    packageCenter: {
      name: `${hubCity}${style.hub}`,
      code: centre + String(hashInt(`${courier}|hub|${region}`) % 1000).padStart(3, '0'),
    },
  };
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
