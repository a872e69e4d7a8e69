/** Every failure is `{error:{code,message}}` with a 4xx for the client's mistakes; OpenAPI is served. */
import { expect, it } from 'vitest';
import { ENDPOINTS } from '../../../shared/api/endpoints.ts';
import { ErrorBodySchema } from '../../../shared/api/common.ts';
import { call, createFactory, createMerchant, createShop, describeEachDb } from '../support/hub.ts';

describeEachDb('validation and errors', ({ hub }) => {
  it('malformed JSON, wrong types, unknown fields, oversized bodies and huge arrays are 4xx with the error shape', async () => {
    const h = hub();
    const m = await createMerchant(h);
    const f = await createFactory(h);
    const cases: [string, Parameters<typeof call>[3], number, string][] = [
      ['malformed JSON', { rawBody: '{"factoryShopId":' }, 400, 'INVALID_JSON'],
      ['empty JSON body', { rawBody: '' }, 400, 'INVALID_JSON'],
      ['unknown field', { body: { factoryShopId: f.shopId, extra: true } }, 400, 'VALIDATION_ERROR'],
      ['wrong type', { body: { factoryShopId: '12' } }, 400, 'VALIDATION_ERROR'],
      ['negative id', { body: { factoryShopId: -1 } }, 400, 'VALIDATION_ERROR'],
      ['float id', { body: { factoryShopId: 1.5 } }, 400, 'VALIDATION_ERROR'],
      ['array body', { body: [1, 2] }, 400, 'VALIDATION_ERROR'],
      ['null body', { rawBody: 'null' }, 400, 'VALIDATION_ERROR'],
      ['no body', {}, 400, 'VALIDATION_ERROR'],
      ['prototype poisoning', { rawBody: '{"__proto__":{"x":1},"factoryShopId":1}' }, 400, 'INVALID_JSON'],
      [
        'oversized body',
        { rawBody: JSON.stringify({ factoryShopId: 1, pad: 'x'.repeat(3 * 1024 * 1024) }) },
        413,
        'PAYLOAD_TOO_LARGE',
      ],
    ];
    for (const [label, opts, status, code] of cases) {
      const r = await call(h, 'POST', '/v1/merchant/bindings', { token: m.token, ...opts });
      expect(r.status, label).toBe(status);
      expect(ErrorBodySchema.parse(r.body).error.code, label).toBe(code);
    }
    const huge = await call(h, 'POST', '/v1/merchant/allocations', {
      token: m.token,
      body: { factoryShopId: f.shopId, orderSns: Array.from({ length: 1001 }, (_, i) => `S${i}`) },
    });
    expect(huge.status).toBe(400);
    const xml = await call(h, 'POST', '/v1/merchant/bindings', {
      token: m.token,
      rawBody: '<x/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(xml.status).toBe(415);
    expect(xml.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('ill-formed text (a lone UTF-16 surrogate, invalid UTF-8 bytes) is refused like NUL, never stored as U+FFFD', async () => {
    const h = hub();
    const shop = await createShop(h);
    const shipper = { name: '王经理', phone: '13900001111', address: '杭州市余杭区梦想小镇8号' };
    const lone = [
      ['display name, high surrogate', '{"role":"merchant","displayName":"小美\\ud800服饰","shipper":SHIPPER}'],
      ['display name, low surrogate', '{"role":"merchant","displayName":"\\udc00","shipper":SHIPPER}'],
      ['reversed pair', '{"role":"merchant","displayName":"\\udc00\\ud800","shipper":SHIPPER}'],
      ['in a key', '{"role":"merchant","displayName":"x","shipper":SHIPPER,"\\ud800":1}'],
    ] as const;
    for (const [label, raw] of lone) {
      const r = await call(h, 'PUT', '/v1/me/role', {
        token: shop.token,
        rawBody: raw.replace('SHIPPER', JSON.stringify(shipper)),
      });
      expect(r.status, label).toBe(400);
      expect(r.body.error.code, label).toBe('VALIDATION_ERROR');
      expect(r.body.error.message, label).toContain('Unicode');
    }
    const bytes = Buffer.concat([
      Buffer.from('{"role":"merchant","displayName":"'),
      Buffer.from([0xe5, 0xb0]), // a cut-off 小
      Buffer.from(`","shipper":${JSON.stringify(shipper)}}`),
    ]);
    const raw = await fetch(`${h.url}/v1/me/role`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${shop.token}`, 'content-type': 'application/json' },
      body: bytes,
    });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_ERROR');
    // A well-formed pair (an emoji outside the BMP) is text like any other.
    const fine = await call(h, 'PUT', '/v1/me/role', {
      token: shop.token,
      rawBody: `{"role":"merchant","displayName":"小美\\ud83d\\ude00","shipper":${JSON.stringify(shipper)}}`,
    });
    expect(fine.status).toBe(200);
    expect(fine.body.profile.displayName).toBe('小美😀');
    const m = await createMerchant(h);
    const addr = await call(h, 'POST', '/v1/merchant/return-addresses', {
      token: m.token,
      rawBody: '{"name":"李四","phone":"0571-1","address":"退货仓\\ud800 2 号门"}',
    });
    expect(addr.status).toBe(400);
    const stored = await h.db.selectFrom('merchant_profiles').select('display_name').execute();
    expect(stored.some((p) => p.display_name.includes('\ufffd'))).toBe(false);
  });

  it('query strings and path params are validated too', async () => {
    const h = hub();
    const m = await createMerchant(h);
    const f = await createFactory(h);
    for (const query of [
      { limit: '0' },
      { limit: '5000' },
      { limit: 'x' },
      { unknown: '1' },
      { allocation: 'maybe' },
      { cursor: 'abc' },
    ]) {
      const r = await call(h, 'GET', '/v1/merchant/orders', { token: m.token, query });
      expect(r.status, JSON.stringify(query)).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_ERROR');
    }
    for (const id of ['abc', '0', '-3', '1.5', '99999999999999999999']) {
      const r = await call(h, 'POST', `/v1/factory/bindings/${id}/accept`, { token: f.token });
      expect(r.status, id).toBe(400);
    }
    const sn = await call(h, 'GET', `/v1/merchant/orders/${encodeURIComponent('订单1')}`, { token: m.token });
    expect(sn.status).toBe(400);
  });

  it('unknown routes and methods are 404, missing or bad tokens 401, all with the error shape', async () => {
    const h = hub();
    const m = await createMerchant(h);
    const r1 = await call(h, 'GET', '/v1/nothing-here');
    expect(r1.status).toBe(404);
    expect(r1.body.error.code).toBe('NOT_FOUND');
    expect((await call(h, 'PATCH', '/v1/merchant/orders', { token: m.token })).status).toBe(404);
    for (const token of [undefined, 'nonsense', 'dfs_forged', 'dft_forged']) {
      const r = await call(h, 'GET', '/v1/merchant/orders', { token });
      expect(r.status, String(token)).toBe(token?.startsWith('dft_') ? 403 : 401);
      expect(ErrorBodySchema.safeParse(r.body).success).toBe(true);
    }
    const basic = await call(h, 'GET', '/v1/me', { headers: { authorization: `Basic ${m.token}` } });
    expect(basic.status).toBe(401);
  });

  it('platform endpoints need the admin token', async () => {
    const h = hub();
    const m = await createMerchant(h);
    for (const token of [undefined, m.token, 'wrong-admin']) {
      const r = await call(h, 'POST', '/v1/shops', { token, body: { name: 'x' } });
      expect(r.status).toBe(401);
    }
    const ok = await call(h, 'POST', '/v1/shops', { token: h.adminToken, body: { name: '新店' } });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ shopId: expect.any(Number), token: expect.stringMatching(/^dfs_/) });
  });

  it('serves an OpenAPI document listing every endpoint', async () => {
    const h = hub();
    const r = await call(h, 'GET', '/v1/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toMatch(/^3\./);
    for (const e of Object.values(ENDPOINTS)) {
      const path = e.path.replace(/:(\w+)/g, '{$1}');
      expect(r.body.paths[path]?.[e.method.toLowerCase()], `${e.method} ${e.path}`).toBeDefined();
    }
    const alloc = r.body.paths['/v1/merchant/allocations'].post;
    expect(alloc.requestBody.content['application/json'].schema.properties.orderSns.maxItems).toBe(1000);
  });
});
