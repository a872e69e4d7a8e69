import { describe, expect, it } from 'vitest';
import { maskAddressText, maskName, maskPhone, maskRecipient, parseRegionPrefix } from '../../shared/domain/index.ts';

describe('maskName', () => {
  it.each([
    ['张三', '张*'],
    ['张三丰', '张*丰'],
    ['欧阳娜娜', '欧阳**'],
    ['欧阳锋', '欧阳*'],
    ['司马相如', '司马**'],
    ['诸葛孔明先生', '诸葛**'],
    ['欧阳', '欧*'], // two characters: read as surname + given name
    ['买买提·艾力', '买**力'],
    ['李', '*'],
    ['', ''],
    ['   ', ''],
    ['  王五  ', '王*'],
    ['😀', '*'],
    ['😀😁', '😀*'],
    ['👨‍👩‍👧‍👦小明', '👨‍👩‍👧‍👦*明'], // a ZWJ family is one grapheme, never split
    ['𠀾㐂', '𠀾*'], // outside the BMP: no half surrogate pairs
    ['John Smith', 'J**h'],
  ])('%j → %j', (input, expected) => {
    expect(maskName(input)).toBe(expected);
  });

  it('very long input is cheap and does not leak its length', () => {
    const long = '张' + '三'.repeat(1_000_000);
    const t0 = performance.now();
    const out = maskName(long);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(out).toBe('张**三');
  });

  it('never leaves a lone surrogate', () => {
    for (const s of ['𠀾', '𠀾𠀾', '𠀾𠀾𠀾', 'a😀b', '😀😀😀😀😀']) {
      expect(maskName(s)).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
  });
});

describe('maskPhone', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['138 1234 5678', '138****5678'],
    ['138-1234-5678', '138****5678'],
    ['+86 138 1234 5678', '+86 138****5678'],
    ['+8613812345678', '+86 138****5678'],
    ['008613812345678', '+86 138****5678'],
    ['13812345678-1234', '138****5678-****'], // privacy number with extension
    ['13812345678转1234', '138****5678-****'],
    ['010-12345678', '010-****5678'],
    ['01012345678', '010-****5678'],
    ['0755-8888 6666', '0755-****6666'],
    ['0571-1234567', '0571-***4567'],
    ['010-12345678-801', '010-****5678-***'],
    ['+1 415 555 2671', '+1 ******2671'],
    ['+44 20 7946 0958', '+44 ******0958'],
    ['+81-3-1234-5678', '+81 ******5678'],
    ['12345', '****'],
    ['', ''],
    ['abc', '****'],
    ['😀😀😀', '****'],
    ['138😀12345678', '****'],
  ])('%j → %j', (input, expected) => {
    expect(maskPhone(input)).toBe(expected);
  });

  it('no output keeps more than four consecutive digits of the original after the prefix', () => {
    for (const p of ['13812345678', '+1 415 555 2671', '010-12345678', '99999999999999999999']) {
      expect(maskPhone(p)).not.toMatch(/\d{5,}/);
    }
  });

  it('very long input is masked, not echoed', () => {
    const out = maskPhone('1'.repeat(100_000));
    expect(out.length).toBeLessThan(20);
  });
});

describe('maskAddressText', () => {
  it.each([
    ['浙江省杭州市西湖区文三路 90 号 1 幢 501', '浙江省杭州市西湖区****'],
    ['北京市朝阳区建国路88号SOHO现代城', '北京市朝阳区****'],
    ['北京市北京市朝阳区建国路88号', '北京市朝阳区****'],
    ['上海市市辖区浦东新区世纪大道100号', '上海市浦东新区****'],
    ['广东省深圳市南山区粤海街道科技园', '广东省深圳市南山区****'],
    ['新疆维吾尔自治区乌鲁木齐市天山区解放北路1号', '新疆维吾尔自治区乌鲁木齐市天山区****'],
    ['内蒙古自治区呼伦贝尔市海拉尔区胜利大街', '内蒙古自治区呼伦贝尔市海拉尔区****'],
    ['云南省西双版纳傣族自治州景洪市勐罕镇', '云南省西双版纳傣族自治州景洪市****'],
    ['江苏省苏州市昆山市玉山镇', '江苏省苏州市昆山市****'],
    ['文三路 90 号', '****'], // no region recognised: nothing of the street leaks
    ['', ''],
    ['😀😀😀', '****'],
  ])('%j → %j', (input, expected) => {
    expect(maskAddressText(input)).toBe(expected);
  });

  it('a 500-character address keeps only the region', () => {
    const out = maskAddressText('浙江省杭州市西湖区' + '很长的街道'.repeat(100));
    expect(out).toBe('浙江省杭州市西湖区****');
  });

  it('parses the region prefix', () => {
    expect(parseRegionPrefix('湖北省武汉市洪山区珞喻路')).toEqual({
      province: '湖北省',
      city: '武汉市',
      district: '洪山区',
      rest: '珞喻路',
    });
  });
});

describe('maskRecipient', () => {
  it('keeps the region, masks name, phone and detail', () => {
    const r = {
      name: '王小明',
      phone: '13912345678',
      province: '浙江省',
      city: '杭州市',
      district: '余杭区',
      detail: '五常街道文一西路 969 号',
    };
    const m = maskRecipient(r);
    expect(m).toEqual({
      name: '王*明',
      phone: '139****5678',
      province: '浙江省',
      city: '杭州市',
      district: '余杭区',
      detail: '****',
    });
    expect(JSON.stringify(m)).not.toContain('文一西路');
    expect(JSON.stringify(m)).not.toContain('小');
    expect(JSON.stringify(m)).not.toContain('1234');
  });

  it('empty and absurd fields are safe', () => {
    const m = maskRecipient({ name: '', phone: '', province: '', city: '', district: '😀'.repeat(100), detail: '' });
    expect(m.name).toBe('');
    expect(m.detail).toBe('');
    expect([...m.district].length).toBeLessThanOrEqual(33);
  });
});
