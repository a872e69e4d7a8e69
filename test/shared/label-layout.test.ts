import { describe, expect, it } from 'vitest';
import {
  code128Modules,
  ELLIPSIS,
  formatPrintedAt,
  goodsCandidates,
  LabelDataSchema,
  layoutLabel,
  offsetLayout,
  PT_MM,
  qrVersion,
  SAMPLE_LABEL,
  sampleLabels,
  TEMPLATE_100x180,
  TEMPLATE_76x130,
  TEMPLATES,
  placeCode128,
  placeQr,
  mmToDots,
  assertBarcodesFit,
  FRAME_INSET_MM,
  LabelError,
  MIN_BAR_HEIGHT_MM,
  MIN_CJK_PT,
  minModuleDots,
} from '../../shared/label/index.ts';
import type { LabelData, LabelLayout, TextMeasure, TextOp } from '../../shared/label/index.ts';

/** A font stand-in: CJK and full-width 1 em, everything else 0.5 em; a few characters "missing". */
const LACKING = new Set(['𠀾', '㐂', '😀'].map((c) => c.codePointAt(0)!));
const measure: TextMeasure = {
  width(text, sizePt) {
    let em = 0;
    for (const ch of text) em += ch.codePointAt(0)! > 0x2000 ? 1 : 0.5;
    return em * sizePt;
  },
  hasGlyph: (cp) => !LACKING.has(cp),
};

function label(patch: Partial<LabelData> = {}): LabelData {
  return { ...SAMPLE_LABEL, ...patch };
}

function text(l: LabelLayout, id: string): TextOp {
  const op = l.ops.find((o): o is TextOp => o.kind === 'text' && o.id === id);
  if (!op) throw new Error(`no text op ${id}`);
  return op;
}

/** Every line inside its box horizontally, and its em box inside vertically. */
function expectInsideBoxes(l: LabelLayout): void {
  for (const op of l.ops) {
    if (op.kind !== 'text') continue;
    const size = op.sizePt * PT_MM;
    for (const line of op.lines) {
      expect(line.x).toBeGreaterThanOrEqual(op.x - 1e-6);
      expect(line.x + line.width).toBeLessThanOrEqual(op.x + op.w + 1e-6);
      expect(measure.width(line.text, op.sizePt, op.bold) * PT_MM).toBeLessThanOrEqual(op.w + 1e-6);
      expect(line.baseline - size * 0.88).toBeGreaterThanOrEqual(op.y - 1e-6);
      expect(line.baseline + size * 0.12).toBeLessThanOrEqual(op.y + op.h + 1e-6);
    }
  }
}

describe('LabelData schema', () => {
  it('accepts the sample and rejects a waybill number Code128 cannot carry', () => {
    expect(LabelDataSchema.parse(SAMPLE_LABEL)).toEqual(SAMPLE_LABEL);
    expect(LabelDataSchema.safeParse(label({ waybillNo: '中通123' })).success).toBe(false);
    expect(LabelDataSchema.safeParse(label({ waybillNo: '' })).success).toBe(false);
    expect(LabelDataSchema.safeParse(label({ printedAt: 'yesterday' })).success).toBe(false);
    expect(LabelDataSchema.safeParse(label({ items: [{ goodsName: 'x', spec: '', quantity: 0 }] })).success).toBe(
      false,
    );
  });
  it('accepts every generated sample label', () => {
    for (const d of sampleLabels(50)) expect(LabelDataSchema.safeParse(d).success).toBe(true);
  });
});

describe('templates', () => {
  it.each(Object.values(TEMPLATES))('$id keeps every element on the label and has both codes', (t) => {
    for (const el of t.elements) {
      if (el.kind === 'line') {
        for (const [x, y] of [
          [el.x1, el.y1],
          [el.x2, el.y2],
        ] as const) {
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(t.widthMm);
          expect(y).toBeGreaterThanOrEqual(0);
          expect(y).toBeLessThanOrEqual(t.heightMm);
        }
        continue;
      }
      const w = el.kind === 'qr' ? el.size : el.w;
      const h = el.kind === 'qr' ? el.size : el.h;
      expect(el.x).toBeGreaterThanOrEqual(0);
      expect(el.y).toBeGreaterThanOrEqual(0);
      expect(el.x + w).toBeLessThanOrEqual(t.widthMm);
      expect(el.y + h).toBeLessThanOrEqual(t.heightMm);
    }
    expect(t.elements.flatMap((e) => (e.kind === 'code128' ? [e.id] : []))).toEqual(['mainBarcode', 'secondBarcode']);
    expect(t.elements.filter((e) => e.kind === 'qr')).toHaveLength(1);
    const texts = t.elements.flatMap((e) => (e.kind === 'text' ? [e.text] : [])).join(' ');
    expect(texts).toContain('已验视');
    expect(texts.match(/\{printedAt\}/g)).toHaveLength(1); // one 打印时间
    for (const key of [
      'courierName',
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
      'sender.address',
      'goods',
      'orderSn',
      'printedAt',
    ]) {
      expect(texts).toContain(`{${key}}`);
    }
  });

  it.each(Object.values(TEMPLATES))('$id: CJK never under 7 pt, addresses never under 8 pt', (t) => {
    for (const el of t.elements) {
      if (el.kind !== 'text') continue;
      expect(el.minPt, el.id).toBeGreaterThanOrEqual(MIN_CJK_PT);
      if (/Address$/.test(el.id)) expect(el.minPt, el.id).toBeGreaterThanOrEqual(8);
    }
  });

  it.each(Object.values(TEMPLATES))('$id: bars at least the couriers’ minimum height', (t) => {
    for (const el of t.elements) {
      if (el.kind !== 'code128') continue;
      expect(el.h).toBeGreaterThanOrEqual(MIN_BAR_HEIGHT_MM[el.id as keyof typeof MIN_BAR_HEIGHT_MM]);
    }
  });

  it.each(Object.values(TEMPLATES))('$id: frame 2 mm from the edges, open across the barcode rows only', (t) => {
    const a = FRAME_INSET_MM;
    const lines = t.elements.filter((e) => e.kind === 'line');
    const sides = lines.filter((l) => l.x1 === l.x2 && (l.x1 === a || l.x1 === t.widthMm - a));
    expect(lines.some((l) => l.y1 === a && l.y2 === a && l.x1 === a && l.x2 === t.widthMm - a)).toBe(true);
    expect(lines.some((l) => l.y1 === t.heightMm - a && l.x1 === a && l.x2 === t.widthMm - a)).toBe(true);
    // Where each side is not drawn, from top to bottom: exactly the barcode rows.
    const codes = t.elements.flatMap((e) => (e.kind === 'code128' ? [[e.y, e.y + e.h]] : []));
    for (const x of [a, t.widthMm - a]) {
      const segs = sides.filter((l) => l.x1 === x).map((l) => [l.y1, l.y2] as const);
      segs.sort((p, q) => p[0] - q[0]);
      const gaps = segs.slice(1).map((seg, i) => [segs[i]![1], seg[0]]);
      expect(gaps).toEqual(codes);
      expect(segs[0]![0]).toBe(a);
      expect(segs.at(-1)![1]).toBe(t.heightMm - a);
    }
  });
});

describe('barcodes that scan', () => {
  // The widest Code128 of 12–20 characters: no run of 4 digits, so every character costs 11 modules.
  const worst20 = 'AB1C2D3E4F5G6H7J8K9L';
  it.each([203, 300])('fit 12–20 characters on 76×130 at %i dpi with modules of at least 0.25 mm', (dpi) => {
    for (const waybillNo of ['731234567890', 'YT1234567890123', 'DPK123456789012345', worst20]) {
      const l = layoutLabel(TEMPLATE_76x130, label({ waybillNo }), measure);
      expect(() => assertBarcodesFit(l, dpi)).not.toThrow();
      for (const op of l.ops) {
        if (op.kind !== 'code128') continue;
        const p = placeCode128(op, dpi);
        expect(p.moduleDots).toBeGreaterThanOrEqual(minModuleDots(dpi));
        expect(p.widthDots).toBeLessThanOrEqual(mmToDots(op.w, dpi));
        // The quiet zones (10 modules each side) stay on the label.
        expect(p.xDots - 10 * p.moduleDots).toBeGreaterThanOrEqual(0);
        expect(p.xDots + p.widthDots + 10 * p.moduleDots).toBeLessThanOrEqual(mmToDots(76, dpi));
      }
    }
    expect(minModuleDots(dpi)).toBe(dpi === 203 ? 2 : 3);
  });

  it('refuses a number too long for 2-dot modules, with a code and both languages', () => {
    const l = layoutLabel(TEMPLATE_76x130, label({ waybillNo: worst20 + worst20 }), measure);
    let err: unknown;
    try {
      assertBarcodesFit(l, 203);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LabelError);
    expect((err as LabelError).code).toBe('BARCODE_TOO_LONG');
    expect((err as LabelError).message).toMatch(/^运单号 AB1C.*（40 位）在 76x130 面单上放不下能扫描的条码.*至少 2 点/);
    expect((err as LabelError).messageEn).toMatch(/does not fit a scannable barcode/);
  });
});

describe('layoutLabel', () => {
  it('lays out the sample on both templates without truncation, codes carrying the data', () => {
    for (const t of [TEMPLATE_100x180, TEMPLATE_76x130]) {
      const l = layoutLabel(t, SAMPLE_LABEL, measure);
      expect(l.truncatedFields).toEqual([]);
      expect(l.missingGlyphs).toEqual([]);
      expect(l.ops.filter((o) => o.kind === 'code128').map((o) => o.kind === 'code128' && o.value)).toEqual([
        SAMPLE_LABEL.waybillNo,
        SAMPLE_LABEL.waybillNo,
      ]);
      expect(text(l, 'packageCenter').lines[0]!.text).toBe('上海转运中心');
      expect(text(l, 'pieces').lines[0]!.text).toBe('件数：1/1');
      expect(l.ops.find((o) => o.kind === 'qr')).toMatchObject({ value: SAMPLE_LABEL.qrPayload });
      expect(
        text(l, 'receiverAddress')
          .lines.map((x) => x.text)
          .join('')
          .replace(/ /g, ''),
      ).toBe(SAMPLE_LABEL.receiver.address.replace(/ /g, ''));
      expect(text(l, 'routingCode').lines[0]!.text).toBe('310-W01 05');
      expectInsideBoxes(l);
    }
  });

  it('the sample (npm run label -- --sample) fills every field of both templates', () => {
    for (const t of [TEMPLATE_100x180, TEMPLATE_76x130]) {
      const l = layoutLabel(t, SAMPLE_LABEL, measure);
      const shown = new Set(l.ops.flatMap((o) => (o.kind === 'text' && o.lines.some((x) => x.text) ? [o.id] : [])));
      for (const el of t.elements) if (el.kind === 'text') expect(shown, `${t.id} ${el.id}`).toContain(el.id);
      const all = l.ops.flatMap((o) => (o.kind === 'text' ? o.lines.map((x) => x.text) : [])).join('\n');
      expect(all).not.toMatch(/\{[a-zA-Z.]+\}/); // every placeholder resolved
      for (const v of ['上海转运中心', '310517', '沪上海 浦东', '件数：1/1', '已验视', '备注：易碎品'])
        expect(all).toContain(v);
    }
  });

  it('shrinks a long address to fit instead of cutting it', () => {
    const address = '广东省深圳市南山区粤海街道科技园南区高新南一道腾讯滨海大厦北塔楼三十八层A区3801室前台代收'; // 48 chars
    const short = layoutLabel(TEMPLATE_100x180, SAMPLE_LABEL, measure);
    const long = layoutLabel(TEMPLATE_100x180, label({ receiver: { ...SAMPLE_LABEL.receiver, address } }), measure);
    const op = text(long, 'receiverAddress');
    expect(op.truncated).toBe(false);
    expect(op.lines.map((x) => x.text).join('')).toBe(address);
    expect(op.sizePt).toBeLessThanOrEqual(text(short, 'receiverAddress').sizePt);
    expect(op.sizePt).toBeGreaterThanOrEqual(8);
    expectInsideBoxes(long);
  });

  it('truncates visibly with … and reports it when even the minimum size cannot hold the text', () => {
    const address = '新疆维吾尔自治区乌鲁木齐市天山区'.repeat(40);
    for (const t of [TEMPLATE_100x180, TEMPLATE_76x130]) {
      const l = layoutLabel(t, label({ receiver: { ...SAMPLE_LABEL.receiver, address } }), measure);
      const op = text(l, 'receiverAddress');
      expect(op.truncated).toBe(true);
      expect(l.truncatedFields).toContain('receiverAddress');
      expect(op.lines.at(-1)!.text.endsWith(ELLIPSIS)).toBe(true);
      const minPt = t.elements.find((e) => e.kind === 'text' && e.id === 'receiverAddress')!;
      expect(op.sizePt).toBe((minPt as { minPt: number }).minPt);
      expectInsideBoxes(l);
    }
  });

  it('summarises 30 items as "… 等N件" with the total quantity', () => {
    const items = Array.from({ length: 30 }, (_, i) => ({
      goodsName: `加厚珊瑚绒四件套${i + 1}`,
      spec: '灰色/1.8m床',
      quantity: 2,
    }));
    const l = layoutLabel(TEMPLATE_76x130, label({ items }), measure);
    const op = text(l, 'goods');
    const all = op.lines.map((x) => x.text).join('');
    expect(all.startsWith('物品：加厚珊瑚绒四件套1 灰色/1.8m床 ×2')).toBe(true);
    expect(all.endsWith('等60件')).toBe(true);
    expect(l.truncatedFields).toContain('goods');
    expectInsideBoxes(l);
  });

  it('keeps "等N件" when even the first item alone does not fit', () => {
    const items = [
      { goodsName: '超长商品名称'.repeat(40), spec: '白色/XL', quantity: 1 },
      { goodsName: '袜子', spec: '', quantity: 4 },
    ];
    const l = layoutLabel(TEMPLATE_76x130, label({ items }), measure);
    const all = text(l, 'goods')
      .lines.map((x) => x.text)
      .join('');
    expect(all).toMatch(/^物品：超长商品名称.*… 等5件$/);
    expect(l.truncatedFields).toContain('goods');
    expectInsideBoxes(l);
  });

  it('formats an item without spec without a stray space', () => {
    expect(goodsCandidates([{ goodsName: '纯棉T恤', spec: '', quantity: 2 }])).toEqual(['纯棉T恤 ×2']);
    expect(goodsCandidates([])).toEqual(['（无商品明细）']);
    expect(
      goodsCandidates([
        { goodsName: 'A', spec: 'x', quantity: 1 },
        { goodsName: 'B', spec: '', quantity: 3 },
      ]),
    ).toEqual(['A x ×1；B ×3', 'A x ×1 等4件']);
  });

  it('replaces glyphs the font lacks with □ and reports them', () => {
    const l = layoutLabel(
      TEMPLATE_100x180,
      label({ receiver: { name: '𠀾*', phone: '138****5678', address: '北京市㐂街1号😀' } }),
      measure,
    );
    expect(text(l, 'receiverNamePhone').lines[0]!.text).toBe('□*  138****5678');
    expect(
      text(l, 'receiverAddress')
        .lines.map((x) => x.text)
        .join(''),
    ).toBe('北京市□街1号□');
    expect(l.missingGlyphs).toEqual(['𠀾', '㐂', '😀']);
  });

  it('treats an emoji sequence as one character: one □, reported whole', () => {
    const family = '👨‍👩‍👧';
    const lacking: TextMeasure = { ...measure, hasGlyph: (cp) => cp < 0x1f000 && !LACKING.has(cp) };
    const l = layoutLabel(TEMPLATE_100x180, label({ remark: `放门口${family}谢谢` }), lacking);
    expect(text(l, 'remark').lines[0]!.text).toBe('备注：放门口□谢谢');
    expect(l.missingGlyphs).toEqual([family]);
  });

  it('omits the remark line when there is no remark', () => {
    const { remark: _r, ...noRemark } = SAMPLE_LABEL;
    const l = layoutLabel(TEMPLATE_100x180, noRemark, measure);
    expect(l.ops.some((o) => o.kind === 'text' && o.id === 'remark')).toBe(false);
  });

  it('never throws on ugly input and keeps everything inside its box', () => {
    const ugly = label({
      receiver: {
        name: '',
        phone: '',
        address: 'Room 1203, Building A-7, 1234567890123456789012345678901234567890 Zhangjiang Hi-Tech Park'.repeat(2),
      },
      sender: { name: '😀'.repeat(50), phone: '\n\t', address: '' },
      routingCode: 'W'.repeat(60),
      bigPen: '',
      items: [{ goodsName: '', spec: '', quantity: 1 }],
      orderSn: '1'.repeat(80),
    });
    for (const t of [TEMPLATE_100x180, TEMPLATE_76x130]) {
      const l = layoutLabel(t, ugly, measure);
      expectInsideBoxes(l);
      expect(text(l, 'routingCode').lines).toHaveLength(1);
    }
  });

  it('prints the time in China time', () => {
    expect(formatPrintedAt('2026-05-27T02:30:00Z')).toBe('2026-05-27 10:30');
    expect(formatPrintedAt('2026-05-27T23:59:00+08:00')).toBe('2026-05-27 23:59');
  });

  it('offsetLayout moves every op by the calibration offset', () => {
    const l = layoutLabel(TEMPLATE_100x180, SAMPLE_LABEL, measure);
    const moved = offsetLayout(l, 1.5, -2);
    const a = l.ops.find((o) => o.kind === 'qr')!;
    const b = moved.ops.find((o) => o.kind === 'qr')!;
    expect(b.x - a.x).toBeCloseTo(1.5);
    expect(b.y - a.y).toBeCloseTo(-2);
    expect(text(moved, 'courier').lines[0]!.baseline - text(l, 'courier').lines[0]!.baseline).toBeCloseTo(-2);
  });
});

describe('code geometry', () => {
  it('counts Code128 modules for digit-only and mixed numbers', () => {
    // Start C + 7 pairs + check + stop: (1 + 7 + 1) × 11 + 13.
    expect(code128Modules('78912345678901')).toBe(112);
    // Start B, Y, T, CODE C, 6 pairs, check, stop.
    expect(code128Modules('YT123456789012')).toBe((1 + 2 + 1 + 6 + 1) * 11 + 13);
    // Odd digit run: one digit in B, then C.
    expect(code128Modules('JT1234567')).toBe((1 + 2 + 1 + 1 + 3 + 1) * 11 + 13);
  });

  it('places codes with whole-dot modules, the symbol in its box and its quiet zones on the label', () => {
    const l = layoutLabel(TEMPLATE_100x180, SAMPLE_LABEL, measure);
    const c = l.ops.find((o) => o.kind === 'code128')!;
    const q = l.ops.find((o) => o.kind === 'qr')!;
    if (c.kind !== 'code128' || q.kind !== 'qr') throw new Error('ops');
    for (const dpi of [203, 300]) {
      const p = placeCode128(c, dpi);
      expect(Number.isInteger(p.moduleDots) && p.moduleDots >= 2).toBe(true);
      expect(p.widthDots).toBeLessThanOrEqual(mmToDots(c.w, dpi));
      expect(p.widthDots + 20 * p.moduleDots).toBeLessThanOrEqual(mmToDots(c.fitW, dpi));
      const r = placeQr(q, dpi);
      expect(r.widthDots + 8 * r.moduleDots).toBeLessThanOrEqual(mmToDots(q.size, dpi));
    }
    expect(qrVersion('https://daifa.example/t/78912345678901')).toBe(3);
  });
});
