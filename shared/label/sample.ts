/** Built-in demo data for `npm run label -- --sample`, previews and tests. Every field is filled. */
import type { LabelData } from './schema.ts';

export const SAMPLE_LABEL: LabelData = {
  waybillNo: '78912345678901',
  courier: { code: 'ZTO', name: '中通快递' },
  routingCode: '310-W01 05',
  bigPen: '沪上海 浦东',
  packageCenter: { name: '上海转运中心', code: '310517' },
  pieces: { index: 1, total: 1 },
  receiver: {
    name: '张*丰',
    phone: '138****5678',
    address: '上海市浦东新区张江镇祖冲之路 2288 弄 3 号楼 1203 室（张江高科地铁站 2 号口旁）',
  },
  sender: {
    name: '义乌小商品代发仓',
    phone: '0579-85551234',
    address: '浙江省金华市义乌市北苑街道春晗路 58 号 A 区 3 楼',
  },
  items: [
    { goodsName: '纯棉T恤', spec: '白色/XL', quantity: 2 },
    { goodsName: '运动短裤', spec: '黑色/L', quantity: 1 },
  ],
  orderSn: '240527-183920471652819',
  printedAt: '2026-05-27T10:30:00+08:00',
  qrPayload: 'https://daifa.example/t/78912345678901',
  remark: '易碎品，轻拿轻放',
};

const COURIERS = [
  { code: 'ZTO', name: '中通快递', prefix: '789' },
  { code: 'YTO', name: '圆通速递', prefix: 'YT' },
  { code: 'YUNDA', name: '韵达快递', prefix: '462' },
  { code: 'STO', name: '申通快递', prefix: '773' },
  { code: 'JTSD', name: '极兔速递', prefix: 'JT' },
];
const CITIES = [
  '上海市浦东新区',
  '北京市朝阳区',
  '广东省深圳市南山区',
  '浙江省杭州市西湖区',
  '四川省成都市武侯区',
  '新疆维吾尔自治区乌鲁木齐市天山区',
];
const STREETS = ['人民路', '解放大道', '科技园南区高新南一道', '文三路', '天府大道北段', '中山北路'];
const GOODS = ['纯棉T恤', '运动短裤', '儿童保温杯 316不锈钢', '手机壳', '加厚珊瑚绒四件套 1.8m床', '无线蓝牙耳机'];
const SPECS = ['白色/XL', '黑色/L', '', '粉色 500ml', 'iPhone 15 Pro 透明', '灰色'];

/** Deterministic varied labels (for the benchmark and tests): different lengths, item counts and couriers. */
export function sampleLabels(count: number, seed = 1): LabelData[] {
  let s = seed >>> 0 || 1;
  const rnd = (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
  const out: LabelData[] = [];
  for (let i = 0; i < count; i++) {
    const c = COURIERS[rnd(COURIERS.length)]!;
    const digits = String(10_000_000_000 + rnd(1_000_000_000) * 7 + i).slice(0, 12);
    const nItems = 1 + (rnd(10) === 0 ? rnd(30) : rnd(3));
    const longAddress = rnd(8) === 0;
    const street = STREETS[rnd(STREETS.length)]!;
    out.push({
      waybillNo: c.prefix + digits,
      courier: { code: c.code, name: c.name },
      routingCode: `${100 + rnd(800)}-${String.fromCharCode(65 + rnd(26))}${rnd(90) + 10} ${String(rnd(99)).padStart(2, '0')}`,
      bigPen: CITIES[rnd(CITIES.length)]!.slice(0, 5),
      packageCenter: {
        name: `${CITIES[rnd(CITIES.length)]!.slice(0, 2)}转运中心`,
        code: String(100_000 + rnd(900_000)),
      },
      pieces: { index: 1, total: 1 },
      receiver: {
        name: ['张*', '李*华', '欧阳**', '王**明'][rnd(4)]!,
        phone: `1${3 + rnd(7)}${rnd(10)}****${String(rnd(10_000)).padStart(4, '0')}`,
        address:
          CITIES[rnd(CITIES.length)]! +
          street +
          `${rnd(2000) + 1}号` +
          (longAddress
            ? `${rnd(30) + 1}栋${rnd(3) + 1}单元${rnd(3000) + 101}室（请放门口快递柜，电话联系不上请放驿站，谢谢）`
            : `${rnd(30) + 1}栋${rnd(3000) + 101}室`),
      },
      sender: { name: '义乌小商品代发仓', phone: '0579-85551234', address: '浙江省金华市义乌市北苑街道春晗路 58 号' },
      items: Array.from({ length: nItems }, () => ({
        goodsName: GOODS[rnd(GOODS.length)]!,
        spec: SPECS[rnd(SPECS.length)]!,
        quantity: 1 + rnd(3),
      })),
      orderSn: `2405${String(rnd(100_000_000)).padStart(8, '0')}${String(i).padStart(6, '0')}`,
      printedAt: '2026-05-27T10:30:00+08:00',
      qrPayload: `https://daifa.example/t/${c.prefix}${digits}`,
      ...(rnd(3) === 0 ? { remark: '易碎品，轻拿轻放' } : {}),
    });
  }
  return out;
}

/** 100+ characters: a real-looking address that no label can print at full size. */
export const LONG_ADDRESS =
  '新疆维吾尔自治区伊犁哈萨克自治州霍尔果斯市卡拉苏河口岸经济开发区亚欧北路与合作中心大道交叉口东南角' +
  '中哈霍尔果斯国际边境合作中心商业综合体B座17层1703室（电话不通请联系门卫代收，周末不派送请放驿站）';

/** Inputs that must fit or truncate visibly and never throw (tests of every backend use them). */
export const UGLY_LABELS: Record<string, LabelData> = {
  longAddress: { ...SAMPLE_LABEL, receiver: { ...SAMPLE_LABEL.receiver, address: LONG_ADDRESS } },
  emoji: {
    ...SAMPLE_LABEL,
    receiver: { name: '小😀*', phone: '138****5678', address: '上海市徐汇区漕溪北路88号🏠👨‍👩‍👧 3楼' },
    remark: '请轻放🙏谢谢❤️',
  },
  rareChars: {
    ...SAMPLE_LABEL,
    receiver: { name: '𠀾*㐂', phone: '139****0000', address: '福建省泉州市丰泽区㐂街𠀾巷8号' },
  },
  emptySpec: { ...SAMPLE_LABEL, items: [{ goodsName: '纯棉T恤', spec: '', quantity: 2 }] },
  items30: {
    ...SAMPLE_LABEL,
    items: Array.from({ length: 30 }, (_, i) => ({
      goodsName: `纯棉T恤 款${i + 1}`,
      spec: i % 3 === 0 ? '' : '白色/XL',
      quantity: 1 + (i % 2),
    })),
  },
  empty: {
    ...SAMPLE_LABEL,
    routingCode: '',
    bigPen: '',
    packageCenter: { name: '', code: '' },
    receiver: { name: '', phone: '', address: '' },
    sender: { name: '', phone: '', address: '' },
    items: [],
    orderSn: '',
  },
};
