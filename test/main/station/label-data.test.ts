import { describe, expect, it } from 'vitest';
import type { PrintPayload } from '../../../shared/api/flow.ts';
import { fieldValue, LabelDataSchema } from '../../../shared/label/index.ts';
import { labelDataFromPayload } from '../../../main/station/label-data.ts';

const payload: PrintPayload = {
  v: 1,
  orderSn: '261127-000000001',
  courier: 'YUNDA',
  waybillNo: '431234567890123',
  addressVersion: 1,
  routing: { sortCode: '330-W05 117', bigPen: '浙-杭州西湖', packageCenter: { name: '杭州分拨中心', code: '330517' } },
  receiver: {
    name: '张*丰',
    phone: '138****5678',
    province: '浙江省',
    city: '杭州市',
    district: '西湖区',
    detail: '文三路 478 号',
  },
  shipper: { name: '小李服饰', phone: '0571-88886666', address: '浙江省杭州市余杭区仓前街道 1 号' },
  items: [{ goodsName: '纯棉T恤', spec: '白色 XL', quantity: 2 }],
  pieces: { index: 2, total: 3 },
  issuedAt: '2026-11-27T04:00:00.000Z',
};

describe('label data from an opened print payload', () => {
  it('carries the courier’s 大头笔, 集包地 and 件数 onto the label', () => {
    const data = labelDataFromPayload(payload, '2026-11-27T12:00:00+08:00');
    expect(LabelDataSchema.parse(data)).toEqual(data);
    expect(data.bigPen).toBe('浙-杭州西湖');
    expect(data.packageCenter).toEqual({ name: '杭州分拨中心', code: '330517' });
    expect(fieldValue(data, 'pieces')).toBe('2/3');
    expect(data.courier).toEqual({ code: 'YUNDA', name: '韵达快递' });
    expect(data.receiver.address).toBe('浙江省杭州市西湖区文三路 478 号');
  });
});
