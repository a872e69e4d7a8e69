/** A print payload as the hub seals it, for tests of sealing and of what the station makes of it. */
import type { PrintPayload } from '../../shared/api/print-payload.ts';

export const SAMPLE_PRINT_PAYLOAD: PrintPayload = {
  v: 1,
  orderSn: '261127-000000001',
  courier: 'ZTO',
  waybillNo: '731234567890',
  addressVersion: 2,
  routing: {
    sortCode: '330-W05 117',
    bigPen: '浙杭州 西湖',
    packageCenter: { name: '杭州转运中心', code: '330517' },
  },
  receiver: {
    name: '张*丰',
    phone: '138****5678',
    province: '浙江省',
    city: '杭州市',
    district: '西湖区',
    detail: '文三路 478 号华星时代广场 A 座 1203 室',
  },
  shipper: { name: '小李服饰', phone: '0571-88886666', address: '浙江省杭州市余杭区仓前街道 1 号' },
  items: [{ goodsName: '纯棉T恤', spec: '白色 XL', quantity: 2 }],
  pieces: { index: 1, total: 1 },
  issuedAt: '2026-11-27T04:00:00.000Z',
};
