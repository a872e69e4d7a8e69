import { describe, expect, it } from 'vitest';
import type { PrintPayload } from '../../../shared/api/print-payload.ts';
import { fieldValue, LabelDataSchema } from '../../../shared/label/index.ts';
import { labelDataFromPayload } from '../../../main/station/label-data.ts';
import { SAMPLE_PRINT_PAYLOAD } from '../../support/print-payload.ts';

const payload: PrintPayload = {
  ...SAMPLE_PRINT_PAYLOAD,
  courier: 'YUNDA',
  waybillNo: '431234567890123',
  routing: { sortCode: '330-W05 117', bigPen: '浙-杭州西湖', packageCenter: { name: '杭州分拨中心', code: '330517' } },
  pieces: { index: 2, total: 3 },
};

describe('label data from an opened print payload', () => {
  it('carries the courier’s 大头笔, 集包地 and 件数 onto the label', () => {
    const data = labelDataFromPayload(payload, '2026-11-27T12:00:00+08:00');
    expect(LabelDataSchema.parse(data)).toEqual(data);
    expect(data.bigPen).toBe('浙-杭州西湖');
    expect(data.packageCenter).toEqual({ name: '杭州分拨中心', code: '330517' });
    expect(fieldValue(data, 'pieces')).toBe('2/3');
    expect(data.courier).toEqual({ code: 'YUNDA', name: '韵达快递' });
    expect(data.receiver.address).toBe('浙江省杭州市西湖区文三路 478 号华星时代广场 A 座 1203 室');
  });
});
