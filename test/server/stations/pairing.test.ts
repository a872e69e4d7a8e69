import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import {
  allocate,
  boundPair,
  call,
  createFactory,
  createMerchant,
  createOrders,
  describeEachDb,
  ok,
  pairStation,
} from '../support/hub.ts';

describeEachDb('stations: pairing, listing, revoking', ({ hub }) => {
  it('a pairing code is exchanged once for a token and a 32-byte payload key; the token is stored hashed', async () => {
    const h = hub();
    const factory = await createFactory(h);
    const created = await call(h, 'POST', '/v1/factory/stations', { token: factory.token });
    expect(created.status).toBe(201);
    const { code, expiresAt } = created.body;
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(new Date(expiresAt).getTime() - h.clock.now().getTime()).toBeGreaterThan(9.9 * 60_000);

    const paired = await call(h, 'POST', '/v1/stations/pair', {
      body: { code: code.toLowerCase(), name: '一号打印站' },
    });
    expect(paired.status).toBe(201);
    expect(paired.body.factoryShopId).toBe(factory.shopId);
    expect(Buffer.from(paired.body.payloadKey, 'base64')).toHaveLength(32);
    const me = await call(h, 'GET', '/v1/station/me', { token: paired.body.token });
    expect(me.body).toMatchObject({
      stationId: paired.body.stationId,
      name: '一号打印站',
      factoryShopId: factory.shopId,
    });

    const row = await h.db
      .selectFrom('stations')
      .selectAll()
      .where('id', '=', paired.body.stationId)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(createHash('sha256').update(paired.body.token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(paired.body.token);

    const reused = await call(h, 'POST', '/v1/stations/pair', { body: { code, name: '二号' } });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('PAIRING_CODE_INVALID');
  });

  it('a pairing code expires after 10 minutes by the hub clock', async () => {
    const h = hub();
    const factory = await createFactory(h);
    const early = await ok(h, 'POST', '/v1/factory/stations', { token: factory.token });
    const late = await ok(h, 'POST', '/v1/factory/stations', { token: factory.token });
    await ok(h, 'POST', '/v1/platform/clock', {
      token: h.adminToken,
      body: { now: new Date(h.clock.now().getTime() + 9 * 60_000).toISOString() },
    });
    expect((await call(h, 'POST', '/v1/stations/pair', { body: { code: early.code, name: 'a' } })).status).toBe(201);
    await ok(h, 'POST', '/v1/platform/clock', {
      token: h.adminToken,
      body: { now: new Date(h.clock.now().getTime() + 61_000).toISOString() },
    });
    const r = await call(h, 'POST', '/v1/stations/pair', { body: { code: late.code, name: 'b' } });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('PAIRING_CODE_INVALID');
  });

  it('the factory lists and revokes its stations; a revoked token fails at once', async () => {
    const h = hub();
    const { merchant, factory, station } = await boundPair(h);
    const second = await pairStation(h, factory, '二号站');
    const [sn] = await createOrders(h, merchant, 1);
    await allocate(h, merchant, factory.shopId, [sn!]);
    expect((await call(h, 'GET', '/v1/station/feed', { token: station.token })).status).toBe(200);

    const list = await ok(h, 'GET', '/v1/factory/stations', { token: factory.token });
    expect(list.stations.map((s: { stationId: number }) => s.stationId)).toEqual([station.stationId, second.stationId]);

    const revoked = await call(h, 'DELETE', `/v1/factory/stations/${station.stationId}`, { token: factory.token });
    expect(revoked.status).toBe(200);
    expect(revoked.body.station.revokedAt).not.toBeNull();
    for (const [method, path, body] of [
      ['GET', '/v1/station/feed', undefined],
      ['GET', '/v1/station/me', undefined],
      ['POST', '/v1/station/check', { orderSns: [sn] }],
    ] as const) {
      const r = await call(h, method, path, { token: station.token, body });
      expect(r.status, path).toBe(401);
      expect(r.body.error.code).toBe('UNAUTHORIZED');
    }
    expect((await call(h, 'GET', '/v1/station/feed', { token: second.token })).status).toBe(200);
    // Revoking again is harmless; another factory cannot revoke it.
    expect(
      (await call(h, 'DELETE', `/v1/factory/stations/${station.stationId}`, { token: factory.token })).status,
    ).toBe(200);
    const other = await createFactory(h);
    const foreign = await call(h, 'DELETE', `/v1/factory/stations/${second.stationId}`, { token: other.token });
    expect(foreign.status).toBe(404);
    expect((await call(h, 'GET', '/v1/station/me', { token: second.token })).status).toBe(200);
  });

  it('shop tokens cannot call station endpoints and station tokens cannot call shop endpoints', async () => {
    const h = hub();
    const { merchant, factory, station } = await boundPair(h);
    for (const token of [merchant.token, factory.token]) {
      for (const [method, path, body] of [
        ['GET', '/v1/station/feed', undefined],
        ['GET', '/v1/station/me', undefined],
        ['POST', '/v1/station/check', { orderSns: ['A'] }],
      ] as const) {
        const r = await call(h, method, path, { token, body });
        expect(r.status, path).toBe(403);
      }
    }
    for (const [method, path, body] of [
      ['GET', '/v1/me', undefined],
      ['GET', '/v1/merchant/orders', undefined],
      ['POST', '/v1/merchant/allocations', { factoryShopId: factory.shopId, orderSns: ['A'] }],
      ['GET', '/v1/factory/bindings', undefined],
      ['GET', '/v1/factory/stations', undefined],
      ['POST', '/v1/factory/stations', undefined],
      ['GET', '/v1/factory/orders', undefined],
    ] as const) {
      const r = await call(h, method, path, { token: station.token, body });
      expect(r.status, path).toBe(403);
    }
    // And neither is an admin token.
    expect((await call(h, 'POST', '/v1/shops', { token: station.token, body: { name: 'x' } })).status).toBe(401);
    expect((await call(h, 'POST', '/v1/shops', { token: merchant.token, body: { name: 'x' } })).status).toBe(401);
  });

  it('a station of a shop that stopped being a factory is refused', async () => {
    const h = hub();
    const factory = await createFactory(h);
    const station = await pairStation(h, factory);
    expect((await call(h, 'GET', '/v1/station/me', { token: station.token })).status).toBe(200);
    await ok(h, 'PUT', '/v1/me/role', {
      token: factory.token,
      body: { role: 'merchant', displayName: '转行', shipper: { name: 'a', phone: '1', address: 'b' } },
    });
    expect((await call(h, 'GET', '/v1/station/me', { token: station.token })).status).toBe(401);
  });

  it('only factories create pairing codes', async () => {
    const h = hub();
    const merchant = await createMerchant(h);
    expect((await call(h, 'POST', '/v1/factory/stations', { token: merchant.token })).status).toBe(403);
  });
});
