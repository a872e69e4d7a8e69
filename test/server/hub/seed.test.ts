/**
 * `npm run hub:seed` (server/seed.ts): the demo data is realistic, it lands in the hub through the
 * real API with the states the summary claims, and the CLI's printed tokens and pairing code work.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createHubClient } from '../../../shared/api/client.ts';
import { OrderSnSchema } from '../../../shared/api/common.ts';
import { ENDPOINTS } from '../../../shared/api/endpoints.ts';
import type { BindingListResponse } from '../../../shared/api/bindings.ts';
import type {
  FactoryOrderSnapshot,
  FactoryOrdersResponse,
  MerchantOrder,
  MerchantOrdersResponse,
} from '../../../shared/api/orders.ts';
import type { MeResponse } from '../../../shared/api/shops.ts';
import type { PairStationResponse } from '../../../shared/api/stations.ts';
import { maskName } from '../../../shared/domain/masking.ts';
import { buildApp } from '../../../server/app.ts';
import { systemClock } from '../../../server/clock.ts';
import { openDb } from '../../../server/db/open.ts';
import {
  COMPOUND_SURNAMES,
  DEMO_SKUS,
  demoOrders,
  httpHubCall,
  injectHubCall,
  mulberry32,
  SeedError,
  seedDemo,
  type SeedResult,
} from '../../../server/seed.ts';
import { call, describeEachDb, ok, pullAll, type TestHub } from '../support/hub.ts';

const run = promisify(execFile);
const NODE = process.execPath;
const SEED_CLI = join(import.meta.dirname, '../../../server/seed.ts');

describe('demo order generator', () => {
  const orders = demoOrders(200, mulberry32(42), 12345, new Date('2026-11-27T08:00:00Z'));

  it('is deterministic for a seed and different for another', () => {
    expect(demoOrders(200, mulberry32(42), 12345, new Date('2026-11-27T08:00:00Z'))).toEqual(orders);
    expect(demoOrders(200, mulberry32(43), 12345, new Date('2026-11-27T08:00:00Z'))).not.toEqual(orders);
  });

  it('gives unique, valid, Pinduoduo-shaped sns that carry the merchant shop ID', () => {
    const sns = orders.map((o) => o.sn);
    expect(new Set(sns).size).toBe(200);
    for (const sn of sns) {
      expect(OrderSnSchema.safeParse(sn).success).toBe(true);
      expect(sn).toMatch(/^261127-00012345\d{7}$/);
    }
    // Another merchant's demo never collides.
    const other = new Set(demoOrders(200, mulberry32(42), 12346).map((o) => o.sn));
    expect(sns.some((sn) => other.has(sn))).toBe(false);
  });

  it('has realistic Chinese recipients across many provinces, with compound surnames', () => {
    const provinces = new Set(orders.map((o) => o.recipient.province));
    expect(provinces.size).toBeGreaterThanOrEqual(20);
    for (const { recipient: r } of orders) {
      expect(r.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
      expect(r.phone).toMatch(/^1[3-9]\d{9}$/);
      expect(r.province).toMatch(/(省|市|自治区)$/);
      expect(r.city).toMatch(/市$/);
      expect(r.district.length).toBeGreaterThanOrEqual(2);
      expect(r.detail).toMatch(/^[\u4e00-\u9fff]+\d+号[\u4e00-\u9fff]+\d+栋\d+单元\d+室$/);
    }
    const compound = orders.filter((o) => COMPOUND_SURNAMES.some((s) => o.recipient.name.startsWith(s)));
    expect(compound.length).toBeGreaterThanOrEqual(8);
    // The masking keeps a compound surname whole (欧阳** rather than 欧***).
    for (const o of compound) expect(maskName(o.recipient.name).slice(0, 2)).toBe(o.recipient.name.slice(0, 2));
    // Phones and details are distinct enough for the leak tests to grep them.
    expect(new Set(orders.map((o) => o.recipient.phone)).size).toBeGreaterThanOrEqual(195);
  });

  it('has several SKUs with names and specs, and multi-item orders', () => {
    const skus = new Set(orders.flatMap((o) => o.items.map((i) => i.skuId)));
    expect(skus.size).toBeGreaterThanOrEqual(15);
    expect(DEMO_SKUS.some((s) => s.goodsName.startsWith('纯棉T恤') && s.spec === '白色/XL')).toBe(true);
    const multi = orders.filter((o) => o.items.length > 1);
    expect(multi.length).toBeGreaterThanOrEqual(15);
    for (const o of multi) expect(new Set(o.items.map((i) => i.skuId)).size).toBe(o.items.length);
    for (const o of orders) for (const i of o.items) expect(i.quantity).toBeGreaterThanOrEqual(1);
    // Placed over the last three days, oldest first.
    const times = orders.map((o) => Date.parse(o.createdAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times[199]! - times[0]!).toBeGreaterThan(48 * 3600_000);
  });
});

async function merchantOrders(h: TestHub, token: string): Promise<MerchantOrder[]> {
  const out: MerchantOrder[] = [];
  let cursor: string | undefined;
  do {
    const page = await ok<MerchantOrdersResponse>(h, 'GET', '/v1/merchant/orders', {
      token,
      query: { limit: 1000, cursor },
    });
    out.push(...page.orders);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

async function factoryOrders(h: TestHub, token: string): Promise<FactoryOrderSnapshot[]> {
  const out: FactoryOrderSnapshot[] = [];
  let cursor: string | undefined;
  do {
    const page = await ok<FactoryOrdersResponse>(h, 'GET', '/v1/factory/orders', {
      token,
      query: { limit: 1000, cursor },
    });
    out.push(...page.orders);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

describeEachDb('hub:seed', ({ hub }) => {
  let seeded: SeedResult;

  it('seeds a merchant, a factory, an accepted binding and 200 orders in the states it reports', async () => {
    const h = hub();
    seeded = await seedDemo(httpHubCall(h.url), { adminToken: h.adminToken, seed: 7 });
    const r = seeded;
    expect(r.orders).toHaveLength(200);

    const me = await ok<MeResponse>(h, 'GET', '/v1/me', { token: r.merchant.token });
    expect(me.profile).toMatchObject({ role: 'merchant', displayName: '小美服饰' });
    expect(me.profile?.role === 'merchant' && me.profile.shipper.name.length).toBeGreaterThan(0);
    const fme = await ok<MeResponse>(h, 'GET', '/v1/me', { token: r.factory.token });
    expect(fme.profile).toMatchObject({ role: 'factory' });

    const bindings = await ok<BindingListResponse>(h, 'GET', '/v1/merchant/bindings', { token: r.merchant.token });
    expect(bindings.bindings).toEqual([
      expect.objectContaining({ id: r.bindingId, factoryShopId: r.factory.shopId, status: 'accepted' }),
    ]);

    // The merchant sees exactly the seeded orders, with the seeded (clear) recipients and items.
    const orders = await merchantOrders(h, r.merchant.token);
    const bySn = new Map(orders.map((o) => [o.sn, o]));
    expect(bySn.size).toBe(200);
    for (const o of r.orders) {
      const got = bySn.get(o.sn);
      expect(got, o.sn).toBeDefined();
      expect(got!.recipient).toEqual(o.recipient);
      expect(got!.items).toEqual(o.items);
    }

    // Most orders are allocated, and the summary's sets are what the hub says.
    const allocated = orders.filter((o) => o.allocation?.status === 'allocated').map((o) => o.sn);
    expect(new Set(allocated)).toEqual(new Set(r.allocated));
    expect(allocated.length).toBeGreaterThanOrEqual(150);
    expect(r.allocated.length + r.unallocated.length).toBe(200);

    for (const sn of r.afterSale) {
      expect(bySn.get(sn)!.afterSale).toBe('open');
      expect(bySn.get(sn)!.allocation?.status).not.toBe('allocated');
    }
    for (const sn of r.auditHold) {
      expect(bySn.get(sn)!.audit).toBe('hold');
      expect(bySn.get(sn)!.allocation?.status).not.toBe('allocated');
    }
    expect(r.afterSale.length + r.auditHold.length).toBeGreaterThanOrEqual(5);
    // Some of them were allocated first: M3's automatic un-allocation is part of the demo.
    const auto = orders.filter((o) => o.allocation?.status === 'cancelled');
    expect(auto.map((o) => o.allocation!.cancelReason).sort()).toEqual(
      expect.arrayContaining(['after_sale', 'audit_hold']),
    );
    for (const sn of r.cancelled) expect(bySn.get(sn)!.status).toBe('cancelled');
    const baseVersion = bySn.get(r.allocated.find((sn) => !r.addressChanged.includes(sn))!)!.addressVersion;
    for (const sn of r.addressChanged) {
      expect(bySn.get(sn)!.addressVersion).toBe(baseVersion + 1);
      expect(bySn.get(sn)!.allocation?.status).toBe('allocated');
    }

    // The factory sees every order ever allocated to it (the auto-un-allocated ones as cancelled), masked.
    const fOrders = await factoryOrders(h, r.factory.token);
    const everAllocated = orders.filter((o) => o.allocation !== null).map((o) => o.sn);
    expect(new Set(fOrders.map((o) => o.orderSn))).toEqual(new Set(everAllocated));
    const fText = JSON.stringify(fOrders);
    for (const o of r.orders) {
      expect(fText).not.toContain(o.recipient.phone);
      expect(fText).not.toContain(o.recipient.detail);
    }
  });

  it('prints a pairing code a station can pair with, and the station syncs the factory orders', async () => {
    const h = hub();
    const station = await ok<PairStationResponse>(h, 'POST', '/v1/stations/pair', {
      body: { code: seeded.pairingCode, name: '一号打印站' },
    });
    expect(station.factoryShopId).toBe(seeded.factory.shopId);
    const { pages } = await pullAll(h, { ...station }, undefined, 1000);
    const changes = pages.flatMap((p) => p.changes);
    const printable = new Set(changes.filter((c) => c.printable).map((c) => c.orderSn));
    expect(printable).toEqual(new Set(seeded.allocated));
    // The code works once.
    const again = await call(h, 'POST', '/v1/stations/pair', { body: { code: seeded.pairingCode, name: '二号' } });
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.status).toBeLessThan(500);
  });

  it('seeding the same hub twice makes a second, separate demo', async () => {
    const h = hub();
    const second = await seedDemo(httpHubCall(h.url), { adminToken: h.adminToken, seed: 7, orders: 20 });
    expect(second.merchant.shopId).not.toBe(seeded.merchant.shopId);
    const orders = await merchantOrders(h, second.merchant.token);
    expect(orders).toHaveLength(20);
  });

  it('a wrong admin token fails at the first step, saying which step and why', async () => {
    const h = hub();
    const err = await seedDemo(httpHubCall(h.url), { adminToken: 'wrong-token', orders: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SeedError);
    expect((err as Error).message).toMatch(/create merchant shop.*平台管理令牌无效/);
  });

  it('the CLI over HTTP prints working tokens and a pairing code', async () => {
    const h = hub();
    const { stdout } = await run(NODE, [SEED_CLI, '--url', h.url, '--orders', '40', '--seed', '5'], {
      env: { ...process.env, HUB_ADMIN_TOKEN: h.adminToken },
    });
    const merchantToken = /商家 merchant .* token (\S+)/.exec(stdout)?.[1];
    const factoryToken = /厂家 factory .* token (\S+)/.exec(stdout)?.[1];
    const code = /pairing code: (\S+)/.exec(stdout)?.[1];
    expect(stdout).toContain('订单 orders    40');
    const m = await ok<MeResponse>(h, 'GET', '/v1/me', { token: merchantToken });
    expect(m.profile?.role).toBe('merchant');
    const f = await ok<MeResponse>(h, 'GET', '/v1/me', { token: factoryToken });
    expect(f.profile?.role).toBe('factory');
    const paired = await call(h, 'POST', '/v1/stations/pair', { body: { code, name: 'CLI 站' } });
    expect(paired.status).toBe(201);
  });
});

describe('hub:seed CLI', () => {
  it('refuses to run without HUB_ADMIN_TOKEN (exit 2) and explains why', async () => {
    const env = { ...process.env };
    delete env.HUB_ADMIN_TOKEN;
    const err = await run(NODE, [SEED_CLI, '--url', 'http://127.0.0.1:9'], { env }).catch((e: unknown) => e);
    expect((err as { code?: number }).code).toBe(2);
    expect((err as { stderr?: string }).stderr).toContain('HUB_ADMIN_TOKEN');
  });

  it('exits 1 with a clear message when the hub cannot be reached', async () => {
    const err = await run(NODE, [SEED_CLI, '--url', 'http://127.0.0.1:9', '--orders', '3'], {
      env: { ...process.env, HUB_ADMIN_TOKEN: 'x' },
    }).catch((e: unknown) => e);
    expect((err as { code?: number }).code).toBe(1);
    expect((err as { stderr?: string }).stderr).toContain('无法连接平台');
  });

  it('with --db seeds a database in-process; a hub opened on it later accepts the printed tokens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'daifa-seed-'));
    try {
      const url = `sqlite:${join(dir, 'hub.db')}`;
      const { stdout } = await run(NODE, [SEED_CLI, '--db', url, '--orders', '25', '--seed', '3'], {
        env: { ...process.env, HUB_ADMIN_TOKEN: '' },
      });
      const merchantToken = /商家 merchant .* token (\S+)/.exec(stdout)?.[1];
      expect(merchantToken).toBeTruthy();
      const db = await openDb(url);
      const app = await buildApp({ db, clock: systemClock, adminToken: null });
      try {
        // Through the in-process transport the CLI used, with the shared typed client.
        const client = createHubClient({ ...injectHubCall(app), token: merchantToken });
        const res = await client.call(ENDPOINTS.merchantOrders, { query: { limit: 100 } });
        expect(res.orders).toHaveLength(25);
      } finally {
        await app.close();
        await db.destroy();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
