import { describe, expect, it } from 'vitest';
import {
  COURIERS,
  SimulatedWaybillService,
  formatWaybillNo,
  isWaybillNoFormat,
  memorySerialSource,
  routingCodeFor,
  shortPlaceName,
} from '../../../server/waybills/courier.ts';

const hz = { province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号' };

describe('simulated electronic-waybill service', () => {
  it.each([
    ['ZTO', /^7[3-68]\d{12}$/],
    ['YTO', /^YT\d{13}$/],
    ['YUNDA', /^[34]\d{14}$/],
    ['STO', /^77\d{13}$/],
    ['JTSD', /^JT\d{13}$/],
  ] as const)('%s numbers have the courier’s real format', (courier, re) => {
    for (const serial of [0, 1, 2, 999, 123_456_789, 9_999_999_999]) {
      const no = formatWaybillNo(courier, serial);
      expect(no).toMatch(re);
      expect(isWaybillNoFormat(courier, no)).toBe(true);
    }
  });

  it('distinct serials give distinct, non-consecutive numbers', () => {
    for (const courier of COURIERS) {
      const seen = new Set<string>();
      for (let i = 0; i < 20_000; i++) seen.add(formatWaybillNo(courier, i));
      expect(seen.size).toBe(20_000);
      const a = formatWaybillNo(courier, 1).replace(/\D/g, '');
      const b = formatWaybillNo(courier, 2).replace(/\D/g, '');
      expect(Math.abs(Number(b) - Number(a))).toBeGreaterThan(1);
    }
  });

  it('a number of one courier is not taken for another’s format', () => {
    expect(isWaybillNoFormat('YTO', formatWaybillNo('JTSD', 5))).toBe(false);
    expect(isWaybillNoFormat('JTSD', formatWaybillNo('ZTO', 5))).toBe(false);
  });

  it('issues one number per request in order, unique across calls and couriers', async () => {
    const svc = new SimulatedWaybillService(memorySerialSource());
    const reqs = Array.from({ length: 50 }, (_, i) => ({
      orderSn: `SN${i}`,
      courier: COURIERS[i % COURIERS.length]!,
      address: hz,
    }));
    const a = await svc.issue(reqs);
    const b = await svc.issue(reqs);
    expect(a.map((x) => x.orderSn)).toEqual(reqs.map((r) => r.orderSn));
    a.forEach((x, i) => expect(isWaybillNoFormat(reqs[i]!.courier, x.waybillNo)).toBe(true));
    expect(new Set([...a, ...b].map((x) => x.waybillNo)).size).toBe(100);
    await svc.cancel('ZTO', a[0]!.waybillNo);
    expect(svc.cancelled.has(a[0]!.waybillNo)).toBe(true);
  });
});

describe('routing code (三段码 / 大头笔)', () => {
  it('is deterministic and shaped like a real 三段码', () => {
    const r = routingCodeFor('ZTO', hz);
    expect(r).toEqual(routingCodeFor('ZTO', { ...hz }));
    expect(r.sortCode).toMatch(/^33\d-[A-Z]\d{2} \d{3}$/);
    expect(r.bigPen).toBe('浙杭州 西湖');
  });

  it('writes the 大头笔 in each courier’s style and names the 集包地 for the destination city', () => {
    const styles = Object.fromEntries(COURIERS.map((c) => [c, routingCodeFor(c, hz).bigPen]));
    expect(styles).toEqual({
      ZTO: '浙杭州 西湖',
      YTO: '杭州西湖',
      YUNDA: '浙-杭州西湖',
      STO: '杭州 西湖',
      JTSD: '杭州西湖',
    });
    const zto = routingCodeFor('ZTO', hz);
    expect(zto.packageCenter.name).toBe('杭州转运中心');
    expect(routingCodeFor('YUNDA', hz).packageCenter.name).toBe('杭州分拨中心');
    // The hub's code starts with the sorting centre of the 三段码, and every address of a city shares it.
    expect(zto.packageCenter.code).toMatch(/^\d{6}$/);
    expect(zto.packageCenter.code.slice(0, 3)).toBe(zto.sortCode.slice(0, 3));
    expect(routingCodeFor('ZTO', { ...hz, district: '上城区', detail: '1 号' }).packageCenter).toEqual(
      zto.packageCenter,
    );
    const sh = routingCodeFor('ZTO', { province: '上海', city: '上海市', district: '浦东新区', detail: 'x' });
    expect(sh.packageCenter.name).toBe('上海转运中心');
    expect(sh.bigPen).toBe('沪上海 浦东');
  });

  it('uses the province code for the sorting centre and depends on the address', () => {
    const sh = routingCodeFor('YTO', {
      province: '上海',
      city: '上海市',
      district: '浦东新区',
      detail: '世纪大道 1 号',
    });
    expect(sh.sortCode.startsWith('31')).toBe(true);
    expect(sh.bigPen).toBe('上海浦东');
    const bj = routingCodeFor('YTO', { province: '北京市', city: '北京市', district: '朝阳区', detail: 'x' });
    expect(bj.sortCode.startsWith('11')).toBe(true);
    expect(bj.bigPen).toBe('北京朝阳');
    const gd = routingCodeFor('STO', { province: '广东省', city: '深圳市', district: '南山区', detail: 'x' });
    expect(gd.sortCode.startsWith('44')).toBe(true);
    // Another district in the same city keeps the centre but may change the branch.
    const districts = ['福田区', '罗湖区', '宝安区', '龙岗区', '盐田区'].map(
      (district) => routingCodeFor('STO', { province: '广东省', city: '深圳市', district, detail: 'x' }).sortCode,
    );
    expect(new Set(districts.map((s) => s.slice(0, 3)))).toEqual(new Set([gd.sortCode.slice(0, 3)]));
    expect(new Set(districts.map((s) => s.slice(4, 7))).size).toBeGreaterThan(1);
  });

  it('shortens place names like a 大头笔', () => {
    expect(shortPlaceName('恩施土家族苗族自治州')).toBe('恩施');
    expect(shortPlaceName('浦东新区')).toBe('浦东');
    expect(shortPlaceName('市辖区')).toBe('');
    expect(shortPlaceName('和县')).toBe('和县');
    expect(routingCodeFor('JTSD', { province: '', city: '', district: '', detail: '' }).sortCode).toMatch(
      /^9\d\d-[A-Z]\d{2} \d{3}$/,
    );
  });
});
