import { expect, it } from 'vitest';
import {
  bindAndAccept,
  call,
  createFactory,
  createMerchant,
  createOrders,
  createShop,
  DEFAULT_SHIPPER,
  describeEachDb,
  setRole,
} from '../support/hub.ts';

describeEachDb('M1 roles and M2 binding', ({ hub }) => {
  it('a new shop has no role; it chooses merchant (display name + shipper) or factory (its name)', async () => {
    const h = hub();
    const shop = await createShop(h, '小王服饰');
    const me = await call(h, 'GET', '/v1/me', { token: shop.token });
    expect(me.body).toEqual({ shopId: shop.shopId, name: '小王服饰', profile: null });

    const asMerchant = await setRole(h, shop, { role: 'merchant', displayName: '小王', shipper: DEFAULT_SHIPPER });
    expect(asMerchant.profile).toEqual({ role: 'merchant', displayName: '小王', shipper: DEFAULT_SHIPPER });

    const f = await createShop(h, '义乌代发一厂');
    expect((await setRole(h, f, { role: 'factory' })).profile).toEqual({ role: 'factory', name: '义乌代发一厂' });
    expect((await setRole(h, f, { role: 'factory', name: '一厂' })).profile).toEqual({ role: 'factory', name: '一厂' });
  });

  it('a merchant profile needs a display name and a full shipper', async () => {
    const h = hub();
    const shop = await createShop(h);
    for (const bad of [
      { role: 'merchant', shipper: DEFAULT_SHIPPER },
      { role: 'merchant', displayName: '', shipper: DEFAULT_SHIPPER },
      { role: 'merchant', displayName: 'x', shipper: { name: 'a', phone: '1' } },
      { role: 'boss' },
    ]) {
      const r = await call(h, 'PUT', '/v1/me/role', { token: shop.token, body: bad });
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_ERROR');
    }
  });

  it('a shop may switch role before any binding, and is refused once a binding exists', async () => {
    const h = hub();
    const shop = await createMerchant(h);
    await setRole(h, shop, { role: 'factory' });
    await setRole(h, shop, { role: 'merchant', displayName: '回来了', shipper: DEFAULT_SHIPPER });

    const factory = await createFactory(h);
    await call(h, 'POST', '/v1/merchant/bindings', { token: shop.token, body: { factoryShopId: factory.shopId } });
    const r = await call(h, 'PUT', '/v1/me/role', { token: shop.token, body: { role: 'factory' } });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('ROLE_LOCKED');
    const rf = await call(h, 'PUT', '/v1/me/role', {
      token: factory.token,
      body: { role: 'merchant', displayName: 'x', shipper: DEFAULT_SHIPPER },
    });
    expect(rf.status).toBe(409);
    // Updating the profile of the same role stays possible.
    const same = await setRole(h, shop, { role: 'merchant', displayName: '新名字', shipper: DEFAULT_SHIPPER });
    expect(same.profile).toMatchObject({ displayName: '新名字' });
  });

  it('binding to a shop that does not exist or is not a factory: 422 FACTORY_NOT_FOUND 请输入正确的厂家店铺ID', async () => {
    const h = hub();
    const merchant = await createMerchant(h);
    const otherMerchant = await createMerchant(h);
    const noRole = await createShop(h);
    for (const factoryShopId of [999_999, otherMerchant.shopId, noRole.shopId, merchant.shopId]) {
      const r = await call(h, 'POST', '/v1/merchant/bindings', { token: merchant.token, body: { factoryShopId } });
      expect(r.status).toBe(422);
      expect(r.body).toEqual({ error: { code: 'FACTORY_NOT_FOUND', message: '请输入正确的厂家店铺ID' } });
    }
  });

  it('a duplicate request is refused; the factory lists, accepts or rejects; a rejected one may be sent again', async () => {
    const h = hub();
    const merchant = await createMerchant(h, '星星小店');
    const factory = await createFactory(h, '月亮工厂');
    const created = await call(h, 'POST', '/v1/merchant/bindings', {
      token: merchant.token,
      body: { factoryShopId: factory.shopId },
    });
    expect(created.status).toBe(201);
    expect(created.body.binding).toMatchObject({
      merchantShopId: merchant.shopId,
      factoryShopId: factory.shopId,
      merchantDisplayName: '星星小店',
      factoryName: '月亮工厂',
      status: 'pending',
      decidedAt: null,
    });
    const dup = await call(h, 'POST', '/v1/merchant/bindings', {
      token: merchant.token,
      body: { factoryShopId: factory.shopId },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('BINDING_EXISTS');

    const list = await call(h, 'GET', '/v1/factory/bindings', { token: factory.token });
    expect(list.body.bindings).toHaveLength(1);
    const id = list.body.bindings[0].id;

    const rejected = await call(h, 'POST', `/v1/factory/bindings/${id}/reject`, { token: factory.token });
    expect(rejected.body.binding.status).toBe('rejected');
    const again = await call(h, 'POST', `/v1/factory/bindings/${id}/accept`, { token: factory.token });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('BINDING_NOT_PENDING');

    const resent = await call(h, 'POST', '/v1/merchant/bindings', {
      token: merchant.token,
      body: { factoryShopId: factory.shopId },
    });
    expect(resent.status).toBe(201);
    expect(resent.body.binding).toMatchObject({ id, status: 'pending' });
    const accepted = await call(h, 'POST', `/v1/factory/bindings/${id}/accept`, { token: factory.token });
    expect(accepted.body.binding.status).toBe('accepted');
    expect(accepted.body.binding.decidedAt).not.toBeNull();

    const dup2 = await call(h, 'POST', '/v1/merchant/bindings', {
      token: merchant.token,
      body: { factoryShopId: factory.shopId },
    });
    expect(dup2.status).toBe(409);
    const mine = await call(h, 'GET', '/v1/merchant/bindings', { token: merchant.token });
    expect(mine.body.bindings.map((b: { status: string }) => b.status)).toEqual(['accepted']);
  });

  it("a factory cannot decide another factory's binding", async () => {
    const h = hub();
    const merchant = await createMerchant(h);
    const factory = await createFactory(h);
    const intruder = await createFactory(h);
    const { body } = await call(h, 'POST', '/v1/merchant/bindings', {
      token: merchant.token,
      body: { factoryShopId: factory.shopId },
    });
    const r = await call(h, 'POST', `/v1/factory/bindings/${body.binding.id}/accept`, { token: intruder.token });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('BINDING_NOT_FOUND');
    expect((await call(h, 'GET', '/v1/factory/bindings', { token: intruder.token })).body.bindings).toEqual([]);
  });

  it('orders become allocatable to a factory only once it accepts', async () => {
    const h = hub();
    const merchant = await createMerchant(h);
    const factory = await createFactory(h);
    const [sn] = await createOrders(h, merchant, 1);
    const before = await call(h, 'POST', '/v1/merchant/allocations', {
      token: merchant.token,
      body: { factoryShopId: factory.shopId, orderSns: [sn] },
    });
    expect(before.body.results[0]).toMatchObject({ result: 'refused', reason: 'not_bound' });
    const { body } = await call(h, 'POST', '/v1/merchant/bindings', {
      token: merchant.token,
      body: { factoryShopId: factory.shopId },
    });
    const pending = await call(h, 'POST', '/v1/merchant/allocations', {
      token: merchant.token,
      body: { factoryShopId: factory.shopId, orderSns: [sn] },
    });
    expect(pending.body.results[0]).toMatchObject({ result: 'refused', reason: 'not_bound' });
    await call(h, 'POST', `/v1/factory/bindings/${body.binding.id}/accept`, { token: factory.token });
    const after = await call(h, 'POST', '/v1/merchant/allocations', {
      token: merchant.token,
      body: { factoryShopId: factory.shopId, orderSns: [sn] },
    });
    expect(after.body.results[0]).toEqual({ orderSn: sn, result: 'allocated' });
  });

  it('merchant endpoints need the merchant role and factory endpoints the factory role', async () => {
    const h = hub();
    const merchant = await createMerchant(h);
    const factory = await createFactory(h);
    const none = await createShop(h);
    expect((await call(h, 'GET', '/v1/factory/bindings', { token: merchant.token })).status).toBe(403);
    expect((await call(h, 'GET', '/v1/merchant/bindings', { token: factory.token })).status).toBe(403);
    const r = await call(h, 'GET', '/v1/merchant/orders', { token: none.token });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('ROLE_REQUIRED');
    await bindAndAccept(h, merchant, factory);
  });
});
