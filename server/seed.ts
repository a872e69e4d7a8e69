/**
 * Demo data for a hub (`npm run hub:seed`): a merchant, a factory, an accepted binding and
 * 200 realistic orders, most of them allocated to the factory, a few under after-sale or audit.
 *
 * Everything goes through the hub's public HTTP API with the shared typed client (shared/api/client.ts;
 * the same calls the platform, the merchant and the factory make), so the seed exercises the real
 * rules (M3's automatic un-allocation included) and works against any running hub, SQLite or
 * PostgreSQL. `seedDemo()` takes a `HubTransport`: real HTTP (`httpHubCall`), or an in-process app
 * through Fastify's `inject` (`injectHubCall`, used by `--db`), without opening a port.
 *
 * CLI:  HUB_URL=http://127.0.0.1:8787 HUB_ADMIN_TOKEN=… npm run hub:seed [-- --orders 200 --seed 42]
 *       npm run hub:seed -- --db sqlite:./data/hub.db     (in-process, no running hub, no admin token)
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createHubClient } from '../shared/api/client.ts';
import { ENDPOINTS } from '../shared/api/endpoints.ts';
import type { PlatformOrderEventRequest } from '../shared/api/orders.ts';
import type { OrderItem, Recipient } from '../shared/domain/index.ts';

// ---------------------------------------------------------------------------------------------
// Transport: a base URL and a fetch, so HTTP and in-process (Fastify inject) look the same to the client.

export interface HubTransport {
  baseUrl: string;
  fetch: typeof fetch;
}

/** Real HTTP against `baseUrl` (e.g. http://127.0.0.1:8787). */
export function httpHubCall(baseUrl: string): HubTransport {
  return { baseUrl, fetch: globalThis.fetch };
}

/** The part of a Fastify instance `injectHubCall` needs (kept structural so this file needs no Fastify types). */
export interface Injectable {
  inject(opts: {
    method: string;
    url: string;
    headers?: Record<string, string>;
    payload?: string;
  }): Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>;
}

/** An in-process Fastify app behind a `fetch`, without a socket. */
export function injectHubCall(app: Injectable): HubTransport {
  const injectFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => (headers[k] = v));
    const res = await app.inject({
      method: init.method ?? 'GET',
      url: url.pathname + url.search,
      headers,
      payload: typeof init.body === 'string' ? init.body : undefined,
    });
    const contentType = res.headers['content-type'];
    return new Response(res.statusCode === 204 ? null : res.body, {
      status: res.statusCode,
      headers: typeof contentType === 'string' ? { 'content-type': contentType } : {},
    });
  };
  return { baseUrl: 'http://hub.in-process', fetch: injectFetch as typeof fetch };
}

// ---------------------------------------------------------------------------------------------
// A small seeded PRNG, so a seed number always gives the same demo (tests rely on it).

export type Rng = () => number;

/** mulberry32: tiny, fast, good enough for demo data and property tests. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)]!;
}

function int(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

// ---------------------------------------------------------------------------------------------
// Realistic Chinese recipients.

const SURNAMES = (
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈' +
  '姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
).split('');
/** 复姓: masking keeps them whole (欧阳** not 欧***), so the demo must include some. */
export const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '慕容', '令狐', '端木', '南宫'];
const GIVEN_CHARS = (
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉萍红梅鑫波斌宇浩凯健俊帆婷雪琳晨欣怡思涵子轩梓睿' +
  '雨嘉佳一诺可馨博文天佑浩然若曦紫萱建国志强秀兰淑珍春燕海燕晓东国庆'
).split('');

/** The regions a parcel goes to: province, city and a few of its districts. */
const REGIONS: ReadonlyArray<readonly [string, string, readonly string[]]> = [
  ['北京市', '北京市', ['朝阳区', '海淀区', '东城区', '丰台区']],
  ['上海市', '上海市', ['浦东新区', '徐汇区', '静安区', '闵行区']],
  ['天津市', '天津市', ['和平区', '南开区', '河西区']],
  ['重庆市', '重庆市', ['渝中区', '江北区', '沙坪坝区']],
  ['广东省', '广州市', ['天河区', '越秀区', '海珠区', '番禺区']],
  ['广东省', '深圳市', ['南山区', '福田区', '宝安区', '龙岗区']],
  ['广东省', '东莞市', ['南城街道', '东城街道', '虎门镇']],
  ['浙江省', '杭州市', ['西湖区', '余杭区', '滨江区', '拱墅区']],
  ['浙江省', '宁波市', ['鄞州区', '海曙区', '江北区']],
  ['浙江省', '金华市', ['婺城区', '义乌市', '东阳市']],
  ['江苏省', '南京市', ['鼓楼区', '玄武区', '江宁区']],
  ['江苏省', '苏州市', ['姑苏区', '吴中区', '昆山市']],
  ['四川省', '成都市', ['武侯区', '锦江区', '青羊区', '双流区']],
  ['湖北省', '武汉市', ['洪山区', '江汉区', '武昌区']],
  ['湖南省', '长沙市', ['岳麓区', '芙蓉区', '雨花区']],
  ['山东省', '青岛市', ['市南区', '崂山区', '黄岛区']],
  ['山东省', '济南市', ['历下区', '槐荫区', '历城区']],
  ['河南省', '郑州市', ['金水区', '二七区', '中原区']],
  ['河北省', '石家庄市', ['长安区', '桥西区', '裕华区']],
  ['福建省', '厦门市', ['思明区', '湖里区', '集美区']],
  ['福建省', '福州市', ['鼓楼区', '仓山区', '晋安区']],
  ['陕西省', '西安市', ['雁塔区', '碑林区', '未央区']],
  ['安徽省', '合肥市', ['蜀山区', '包河区', '庐阳区']],
  ['江西省', '南昌市', ['东湖区', '红谷滩区', '青山湖区']],
  ['辽宁省', '沈阳市', ['和平区', '沈河区', '浑南区']],
  ['辽宁省', '大连市', ['中山区', '甘井子区', '沙河口区']],
  ['吉林省', '长春市', ['朝阳区', '南关区', '绿园区']],
  ['黑龙江省', '哈尔滨市', ['南岗区', '道里区', '香坊区']],
  ['云南省', '昆明市', ['五华区', '盘龙区', '官渡区']],
  ['贵州省', '贵阳市', ['云岩区', '观山湖区', '南明区']],
  ['广西壮族自治区', '南宁市', ['青秀区', '西乡塘区', '兴宁区']],
  ['新疆维吾尔自治区', '乌鲁木齐市', ['天山区', '沙依巴克区', '新市区']],
  ['内蒙古自治区', '呼和浩特市', ['新城区', '赛罕区', '回民区']],
  ['山西省', '太原市', ['小店区', '迎泽区', '杏花岭区']],
  ['甘肃省', '兰州市', ['城关区', '七里河区', '安宁区']],
  ['海南省', '海口市', ['美兰区', '龙华区', '秀英区']],
  ['宁夏回族自治区', '银川市', ['兴庆区', '金凤区', '西夏区']],
  ['西藏自治区', '拉萨市', ['城关区', '堆龙德庆区']],
  ['青海省', '西宁市', ['城中区', '城西区', '城东区']],
];

const STREETS = (
  '人民路 解放路 中山路 建设路 和平路 文化路 新华路 胜利路 长江路 黄河路 友谊路 青年路 光明路 ' +
  '学府路 滨江大道 世纪大道 科技园路 工业大道 花园路 朝阳路 东风路 迎宾大道 幸福路 府前街'
).split(' ');
const COMMUNITIES = (
  '阳光花园 锦绣家园 金色华庭 翠苑小区 幸福里 万科城 碧桂园 保利花园 绿地新都会 恒大名都 ' +
  '龙湖春江郦城 融创壹号院 华润城 中海国际社区 书香门第 紫金苑 丽景湾 海棠湾 御景华府 星河湾'
).split(' ');

function randomName(rng: Rng, i: number): string {
  // About one in eight has a compound surname; every 25th order one for sure, so a small demo has some.
  const compound = i % 25 === 3 || rng() < 0.12;
  const surname = compound ? pick(rng, COMPOUND_SURNAMES) : pick(rng, SURNAMES);
  const givenLen = compound ? int(rng, 1, 2) : rng() < 0.3 ? 1 : 2;
  let given = '';
  for (let k = 0; k < givenLen; k++) given += pick(rng, GIVEN_CHARS);
  return surname + given;
}

/** A mainland mobile number: 1, a real second digit (3–9), nine more digits. */
function randomMobile(rng: Rng): string {
  const prefixes = ['130', '131', '132', '135', '136', '137', '138', '139', '150', '151', '155', '157', '158', '159'];
  const more = ['166', '177', '178', '180', '181', '182', '185', '186', '187', '188', '189', '191', '198', '199'];
  let s = pick(rng, rng() < 0.6 ? prefixes : more);
  for (let k = 0; k < 8; k++) s += String(int(rng, 0, 9));
  return s;
}

export function randomRecipient(rng: Rng, i: number): Recipient {
  const [province, city, districts] = pick(rng, REGIONS);
  const district = pick(rng, districts);
  const detail =
    `${pick(rng, STREETS)}${int(rng, 1, 999)}号${pick(rng, COMMUNITIES)}` +
    `${int(rng, 1, 32)}栋${int(rng, 1, 6)}单元${int(rng, 1, 33)}${String(int(rng, 1, 4)).padStart(2, '0')}室`;
  return { name: randomName(rng, i), phone: randomMobile(rng), province, city, district, detail };
}

// ---------------------------------------------------------------------------------------------
// Goods: several SKUs with names and specs, as a small clothing-and-homeware merchant sells.

interface Sku {
  goodsId: string;
  skuId: string;
  goodsName: string;
  spec: string;
}

const GOODS: ReadonlyArray<readonly [string, string, readonly string[]]> = [
  ['G10001', '纯棉T恤 男女同款 短袖', ['白色/M', '白色/L', '白色/XL', '黑色/L', '黑色/XL']],
  ['G10002', '加绒连帽卫衣', ['灰色/L', '灰色/XL', '藏青/XL', '藏青/XXL']],
  ['G10003', '高腰直筒牛仔裤', ['浅蓝/27', '浅蓝/28', '深蓝/29', '深蓝/30']],
  ['G10004', '304不锈钢保温杯 500ml', ['星空蓝', '樱花粉', '曜石黑']],
  ['G10005', '加厚珊瑚绒四件套', ['1.5m床/灰色', '1.8m床/灰色', '1.8m床/豆沙粉']],
  ['G10006', '婴儿手口湿巾 80抽', ['10包装', '20包装']],
  ['G10007', '防摔透明手机壳', ['iPhone 15', 'iPhone 15 Pro', '华为 Mate 60']],
  ['G10008', '速干运动袜 5双装', ['男款/均码', '女款/均码']],
];

export const DEMO_SKUS: readonly Sku[] = GOODS.flatMap(([goodsId, goodsName, specs]) =>
  specs.map((spec, k) => ({ goodsId, skuId: `${goodsId}-${String(k + 1).padStart(2, '0')}`, goodsName, spec })),
);

function randomItems(rng: Rng): OrderItem[] {
  // About one order in six carries two or three different SKUs.
  const lines = rng() < 0.17 ? int(rng, 2, 3) : 1;
  const chosen = new Map<string, Sku>();
  while (chosen.size < lines) {
    const sku = pick(rng, DEMO_SKUS);
    chosen.set(sku.skuId, sku);
  }
  return [...chosen.values()].map((s) => ({ ...s, quantity: rng() < 0.8 ? 1 : int(rng, 2, 4) }));
}

export interface DemoOrder {
  sn: string;
  items: OrderItem[];
  recipient: Recipient;
  createdAt: string;
}

/**
 * `count` orders with Pinduoduo-shaped sns (YYMMDD-15 digits). The digits carry the merchant's shop
 * ID, so seeding the same hub twice never collides.
 */
export function demoOrders(count: number, rng: Rng, merchantShopId: number, now = new Date()): DemoOrder[] {
  const yymmdd = now.toISOString().slice(2, 10).replace(/-/g, '');
  const shop = String(merchantShopId % 1e8).padStart(8, '0');
  return Array.from({ length: count }, (_, i) => ({
    sn: `${yymmdd}-${shop}${String(i + 1).padStart(7, '0')}`,
    items: randomItems(rng),
    recipient: randomRecipient(rng, i),
    // Placed over the last three days, oldest first, as a real backlog of 待发货 orders looks.
    createdAt: new Date(
      now.getTime() - (count - i) * Math.floor((72 * 3600_000) / count) - int(rng, 0, 59_000),
    ).toISOString(),
  }));
}

// ---------------------------------------------------------------------------------------------
// The seeding itself.

export interface SeedOptions {
  /** The platform admin token (HUB_ADMIN_TOKEN). */
  adminToken: string;
  /** How many orders (default 200). */
  orders?: number;
  /** PRNG seed, so a run can be reproduced (default: time-based). */
  seed?: number;
  /** Progress lines (default: silent). */
  log?: (line: string) => void;
}

export interface SeedResult {
  merchant: { shopId: number; token: string; displayName: string };
  factory: { shopId: number; token: string; name: string };
  bindingId: number;
  /** A one-time code a station pairs with (expires in 10 minutes). */
  pairingCode: string;
  orders: DemoOrder[];
  /** Sns by the state the seed left them in, for tests and the printed summary. */
  allocated: string[];
  unallocated: string[];
  afterSale: string[];
  auditHold: string[];
  addressChanged: string[];
  cancelled: string[];
}

/** A seed step failed: says which, with the hub's answer as the cause. */
export class SeedError extends Error {
  constructor(step: string, cause: unknown) {
    super(`seed step "${step}" failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'SeedError';
  }
}

async function step<T>(name: string, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw new SeedError(name, e);
  }
}

/** Orders go to the platform in chunks, as a real order sync would deliver them. */
const CREATE_CHUNK = 100;

/**
 * Seed one demo merchant/factory pair with `orders` orders.
 * Most orders end up allocated to the factory; some stay unallocated for the merchant to 分配;
 * a few allocated ones enter after-sale or audit and are therefore auto-un-allocated (M3);
 * a couple get an address change and one is cancelled.
 */
export async function seedDemo(transport: HubTransport, opts: SeedOptions): Promise<SeedResult> {
  const log = opts.log ?? (() => {});
  const count = opts.orders ?? 200;
  const rng = mulberry32(opts.seed ?? Date.now() % 2 ** 31);
  const as = (token: string) => createHubClient({ ...transport, token });
  const admin = as(opts.adminToken);
  const E = ENDPOINTS;

  // Shops and roles (M1).
  const m = await step('create merchant shop', admin.call(E.createShop, { body: { name: '小美服饰旗舰店' } }));
  const f = await step('create factory shop', admin.call(E.createShop, { body: { name: '义乌优品代发工厂' } }));
  const merchant = { shopId: m.shopId, token: m.token, displayName: '小美服饰' };
  const factory = { shopId: f.shopId, token: f.token, name: '义乌优品代发工厂' };
  const asMerchant = as(merchant.token);
  const asFactory = as(factory.token);
  await step(
    'merchant role',
    asMerchant.call(E.setRole, {
      body: {
        role: 'merchant',
        displayName: merchant.displayName,
        shipper: { name: '小美服饰售后部', phone: '0579-85551234', address: '浙江省金华市义乌市稠城街道工人北路1号' },
      },
    }),
  );
  await step('factory role', asFactory.call(E.setRole, { body: { role: 'factory', name: factory.name } }));
  log(`merchant shop ${merchant.shopId}, factory shop ${factory.shopId}`);

  // Binding (M2): the merchant asks, the factory accepts.
  const { binding } = await step(
    'binding request',
    asMerchant.call(E.createBinding, { body: { factoryShopId: factory.shopId } }),
  );
  await step('binding accept', asFactory.call(E.acceptBinding, { params: { id: binding.id } }));
  log(`binding ${binding.id} accepted`);

  // Orders, through the platform side.
  const orders = demoOrders(count, rng, merchant.shopId);
  for (let i = 0; i < orders.length; i += CREATE_CHUNK) {
    const chunk = orders.slice(i, i + CREATE_CHUNK);
    const created = await step(
      'create orders',
      admin.call(E.createPlatformOrders, { body: { merchantShopId: merchant.shopId, orders: chunk } }),
    );
    const existing = created.results.filter((r) => r.result !== 'created');
    if (existing.length > 0) throw new Error(`seed: ${existing.length} order sns already exist on this hub`);
  }
  log(`${orders.length} orders created`);

  // Decide each order's fate up front from the PRNG, then apply it in a realistic order of events.
  const shuffled = orders.map((o) => o.sn).sort(() => rng() - 0.5);
  const n = (share: number, min: number) => Math.max(min, Math.round(count * share));
  let at = 0;
  const take = (k: number) => shuffled.slice(at, (at += Math.min(k, shuffled.length - at)));
  const unallocatedPlain = take(n(0.08, 1)); // left for the merchant to 分配
  const afterSaleBefore = take(n(0.015, 1)); // after-sale before allocation: stays unallocated
  const auditBefore = take(n(0.01, 1));
  const afterSaleAfter = take(n(0.02, 1)); // allocated, then after-sale: auto-un-allocated (M3)
  const auditAfter = take(n(0.015, 1));
  const cancelledAfter = take(count >= 50 ? 1 : 0);
  const addressChanged = take(n(0.015, 1)); // allocated, address changed: still allocated, version bumped
  const neverAllocated = new Set([...unallocatedPlain, ...afterSaleBefore, ...auditBefore]);
  const toAllocate = shuffled.filter((sn) => !neverAllocated.has(sn));

  const event = (sn: string, body: PlatformOrderEventRequest) =>
    step(`event ${body.type} ${sn}`, admin.call(E.platformOrderEvent, { params: { sn }, body }));

  for (const sn of afterSaleBefore) await event(sn, { type: 'after_sale_opened' });
  for (const sn of auditBefore) await event(sn, { type: 'audit_hold' });

  // Allocation (M3), in batches as 批量分配 would send them.
  const allocatedOk: string[] = [];
  for (let i = 0; i < toAllocate.length; i += 500) {
    const res = await step(
      'allocate',
      asMerchant.call(E.allocate, { body: { factoryShopId: factory.shopId, orderSns: toAllocate.slice(i, i + 500) } }),
    );
    for (const r of res.results) if (r.result === 'allocated') allocatedOk.push(r.orderSn);
  }
  if (allocatedOk.length !== toAllocate.length) {
    throw new Error(`seed: ${toAllocate.length - allocatedOk.length} of ${toAllocate.length} allocations were refused`);
  }
  log(`${allocatedOk.length} orders allocated to factory ${factory.shopId}`);

  for (const sn of afterSaleAfter) await event(sn, { type: 'after_sale_opened' });
  for (const sn of auditAfter) await event(sn, { type: 'audit_hold' });
  for (const sn of cancelledAfter) await event(sn, { type: 'cancelled' });
  for (const sn of addressChanged) {
    const o = orders.find((x) => x.sn === sn)!;
    o.recipient = randomRecipient(rng, 1);
    await event(sn, { type: 'address_changed', recipient: o.recipient });
  }

  // A pairing code for the factory's first station.
  const { code: pairingCode } = await step('pairing code', asFactory.call(E.createPairingCode, {}));

  const unallocatedLater = new Set([...afterSaleAfter, ...auditAfter, ...cancelledAfter]);
  return {
    merchant,
    factory,
    bindingId: binding.id,
    pairingCode,
    orders,
    allocated: allocatedOk.filter((sn) => !unallocatedLater.has(sn)),
    unallocated: [...neverAllocated, ...unallocatedLater],
    afterSale: [...afterSaleBefore, ...afterSaleAfter],
    auditHold: [...auditBefore, ...auditAfter],
    addressChanged,
    cancelled: cancelledAfter,
  };
}

/** One-time console login links for the demo shops (DESIGN §8a): valid 10 minutes, once each. */
export interface DemoLoginLinks {
  merchant: string;
  factory: string;
  expiresAt: string;
}

/** Mints a console login link for the merchant's and the factory's shop, found from their tokens. */
export async function demoLoginLinks(
  transport: HubTransport,
  opts: { adminToken: string; merchantToken: string; factoryToken: string },
): Promise<DemoLoginLinks> {
  const as = (token: string) => createHubClient({ ...transport, token });
  const link = async (shopToken: string) => {
    const { shopId } = await as(shopToken).call(ENDPOINTS.me, {});
    return as(opts.adminToken).call(ENDPOINTS.createLoginLink, { body: { shopId } });
  };
  const merchant = await link(opts.merchantToken);
  const factory = await link(opts.factoryToken);
  return {
    merchant: transport.baseUrl + merchant.path,
    factory: transport.baseUrl + factory.path,
    expiresAt: merchant.expiresAt,
  };
}

export function formatDemoLoginLinks(links: DemoLoginLinks): string {
  return [
    '网页控制台登录链接（10 分钟内有效，每个只能使用一次 / console login links, valid 10 min, once each）:',
    `  商家 merchant: ${links.merchant}`,
    `  厂家 factory:  ${links.factory}`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// CLI: `npm run hub:seed`.

/** The lines the CLI prints: what a person needs to try the demo. */
export function formatSeedSummary(r: SeedResult, hubUrl: string): string {
  return [
    `演示数据已写入 ${hubUrl}`,
    `  商家 merchant  shop ${r.merchant.shopId}  (${r.merchant.displayName})  token ${r.merchant.token}`,
    `  厂家 factory   shop ${r.factory.shopId}  (${r.factory.name})  token ${r.factory.token}`,
    `  绑定 binding   ${r.bindingId} (accepted)`,
    `  订单 orders    ${r.orders.length}: ${r.allocated.length} 已分配 allocated, ${r.unallocated.length} 未分配 unallocated ` +
      `(售后 after-sale ${r.afterSale.length}, 审核中 audit ${r.auditHold.length}, 已取消 cancelled ${r.cancelled.length}), ` +
      `地址变更 address changed ${r.addressChanged.length}`,
    `  打印站配对码 station pairing code: ${r.pairingCode}  (10 分钟内有效，仅可使用一次 / valid 10 min, once)`,
  ].join('\n');
}

const USAGE =
  'usage: npm run hub:seed [-- --url http://127.0.0.1:8787 | --db DATABASE_URL] [--orders 200] [--seed N]\n' +
  '  over HTTP (default): a running hub at --url or HUB_URL (default http://127.0.0.1:8787);\n' +
  '                       HUB_ADMIN_TOKEN must be the token that hub was started with.\n' +
  '  --db sqlite:./data/hub.db | postgres://…: open that database in-process (migrations run),\n' +
  '                       no running hub and no admin token needed. Stop a hub on the same SQLite file first.';

interface CliArgs {
  orders?: number;
  seed?: number;
  url?: string;
  db?: string;
}

function parseCliArgs(argv: string[]): CliArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      db: { type: 'string' },
      orders: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.url && values.db) throw new Error('give --url or --db, not both');
  const orders = values.orders === undefined ? undefined : Number(values.orders);
  if (orders !== undefined && !(Number.isInteger(orders) && orders >= 1 && orders <= 100_000)) {
    throw new Error('--orders must be an integer from 1 to 100000');
  }
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error('--seed must be an integer');
  return { orders, seed, url: values.url, db: values.db };
}

async function cli(): Promise<void> {
  const args = parseCliArgs(process.argv.slice(2));
  const log = (line: string) => console.error(`seed: ${line}`);
  if (args.db) {
    // In-process: the same routes and rules, through Fastify's inject instead of a socket.
    const [{ buildApp }, { openDb }, { systemClock }, { randomBytes }] = await Promise.all([
      import('./app.ts'),
      import('./db/open.ts'),
      import('./clock.ts'),
      import('node:crypto'),
    ]);
    const adminToken = randomBytes(24).toString('base64url');
    const db = await openDb(args.db);
    const app = await buildApp({ db, clock: systemClock, adminToken });
    try {
      const result = await seedDemo(injectHubCall(app), { adminToken, orders: args.orders, seed: args.seed, log });
      console.log(formatSeedSummary(result, args.db.split('?')[0]!.replace(/\/\/[^@/]*@/, '//')));
    } finally {
      await app.close();
      await db.destroy();
    }
    return;
  }
  const hubUrl = args.url ?? process.env.HUB_URL ?? 'http://127.0.0.1:8787';
  const adminToken = process.env.HUB_ADMIN_TOKEN;
  if (!adminToken) {
    console.error('HUB_ADMIN_TOKEN is not set.\n' + USAGE);
    process.exit(2);
  }
  const result = await seedDemo(httpHubCall(hubUrl), { adminToken, orders: args.orders, seed: args.seed, log });
  console.log(formatSeedSummary(result, hubUrl));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  cli().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
