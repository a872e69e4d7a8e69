/**
 * Hostile label data for the printer-language tests (issue 5 "ugly input"): the shared UGLY_LABELS
 * (shared/label/sample.ts, also used by the pdf/png tests) plus cases aimed at the printer languages:
 * a 100-character address, emoji and rare CJK (𠀾 Ext-B, 㐂 Ext-A), and tracking numbers / QR payloads
 * full of the characters each printer language treats specially (" { > ^ ~ _).
 */
import { LabelDataSchema, SAMPLE_LABEL, UGLY_LABELS, type LabelData } from '../../shared/label/index.ts';

const ADDRESS_100 =
  '新疆维吾尔自治区乌鲁木齐市天山区解放北路街道人民广场社区中山路一百二十八号金融大厦A座二十七层二七零一室靠近电梯口右手边第三个门请务必电话联系收件人本人签收谢谢配合';

export function uglyLabels(): { name: string; data: LabelData }[] {
  const base = SAMPLE_LABEL;
  const list: { name: string; data: LabelData }[] = [
    {
      name: '100-character address',
      data: { ...base, receiver: { ...base.receiver, address: ADDRESS_100.slice(0, 100) } },
    },
    {
      name: 'emoji and rare characters',
      data: {
        ...base,
        receiver: { name: '王😀𠀾', phone: '139****0000', address: '北京市朝阳区㐂𠀾路 8 号 🏠 小区' },
        sender: { ...base.sender, name: '🎁礼品店' },
      },
    },
    {
      name: 'empty spec and empty remark',
      data: { ...base, items: [{ goodsName: '手机壳', spec: '', quantity: 1 }], remark: '' },
    },
    {
      name: '30-item order',
      data: {
        ...base,
        items: Array.from({ length: 30 }, (_, i) => ({
          goodsName: `商品${i + 1} 加厚珊瑚绒四件套`,
          spec: i % 3 ? '灰色/1.8m' : '',
          quantity: 1 + (i % 4),
        })),
      },
    },
    {
      name: 'special characters in codes',
      data: { ...base, waybillNo: 'JT{"^~_>0012345678', qrPayload: 'https://daifa.example/t/JT?q="引号"&x=^~_' },
    },
    {
      name: 'long address on every field',
      data: {
        ...base,
        routingCode: '999-Z99 99-123456789',
        bigPen: '内蒙古自治区 呼伦贝尔市 鄂温克族自治旗',
        receiver: { ...base.receiver, address: ADDRESS_100.repeat(3) },
        sender: { ...base.sender, address: ADDRESS_100.repeat(2) },
        orderSn: '9'.repeat(80),
      },
    },
  ];
  for (const [name, data] of Object.entries(UGLY_LABELS)) list.push({ name: `shared: ${name}`, data });
  for (const l of list) LabelDataSchema.parse(l.data); // the fixtures themselves must be valid input
  return list;
}
