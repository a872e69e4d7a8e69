/** M4: nothing a factory or a station receives carries the full name, phone or street detail. */
import { expect, it } from 'vitest';
import {
  allocate,
  boundPair,
  call,
  cancelAllocation,
  check,
  createOrders,
  describeEachDb,
  makeOrder,
  platformEvent,
  pullAll,
} from '../support/hub.ts';

const RECIPIENTS = [
  {
    name: '欧阳娜娜',
    phone: '13812345678',
    province: '北京市',
    city: '北京市',
    district: '朝阳区',
    detail: '建国路88号华贸中心2号楼1808室',
  },
  {
    name: '买买提·艾力',
    phone: '+86 139-8765-4321',
    province: '新疆维吾尔自治区',
    city: '乌鲁木齐市',
    district: '天山区',
    detail: '解放南路12号',
  },
  {
    name: '李雷',
    phone: '010-62345678',
    province: '广东省',
    city: '广州市',
    district: '天河区',
    detail: '珠江新城花城大道66号',
  },
];

describeEachDb('M4 data minimisation', ({ hub }) => {
  it('no full name, phone or street detail appears in any factory or station response', async () => {
    const h = hub();
    const { merchant, factory, station } = await boundPair(h);
    const orders = RECIPIENTS.map((recipient) => makeOrder({ recipient }));
    const sns = await createOrders(h, merchant, orders);
    await allocate(h, merchant, factory.shopId, sns);
    const moved = {
      name: '韩梅梅',
      phone: '15011112222',
      province: '上海市',
      city: '上海市',
      district: '浦东新区',
      detail: '世纪大道100号环球金融中心',
    };
    await platformEvent(h, sns[0]!, { type: 'address_changed', recipient: moved });
    await cancelAllocation(h, merchant, [sns[1]!]);

    const bodies: string[] = [];
    const { pages } = await pullAll(h, station, undefined, 2);
    bodies.push(...pages.map((p) => JSON.stringify(p)));
    bodies.push(JSON.stringify(await check(h, station, sns)));
    for (const [path, token] of [
      ['/v1/factory/orders', factory.token],
      ['/v1/factory/bindings', factory.token],
      ['/v1/factory/stations', factory.token],
      ['/v1/station/me', station.token],
    ] as const) {
      const r = await call(h, 'GET', path, { token });
      expect(r.status).toBe(200);
      bodies.push(JSON.stringify(r.body));
    }
    const all = bodies.join('\n');
    // The responses did carry the orders (so the test can fail)…
    for (const sn of sns) expect(all).toContain(sn);
    // …but never a full name, phone (in any spelling) or street detail.
    for (const r of [...RECIPIENTS, moved]) {
      expect(all).not.toContain(r.name);
      expect(all).not.toContain(r.detail);
      const digits = r.phone.replace(/\D/g, '');
      expect(all.replace(/\D/g, ' ')).not.toContain(digits.slice(-11));
      expect(all).not.toContain(r.phone);
    }
    for (const street of ['建国路', '解放南路', '花城大道', '世纪大道']) expect(all).not.toContain(street);
    // The merchant, who owns the orders, sees them in clear.
    const mine = await call(h, 'GET', `/v1/merchant/orders/${sns[0]}`, { token: merchant.token });
    expect(mine.body.order.recipient).toEqual(moved);
  });
});
