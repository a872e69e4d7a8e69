/** Every failure is `{error:{code,message}}` with a 4xx for the client's mistakes; OpenAPI is served. */
import { expect, it } from 'vitest';
import { CORE_ENDPOINTS } from '../../shared/api/endpoints.ts';
import { ErrorBodySchema } from '../../shared/api/common.ts';
import { call, createFactory, createMerchant, describeEachDb } from './support/hub.ts';

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

  it('serves an OpenAPI document listing every core endpoint', async () => {
    const h = hub();
    const r = await call(h, 'GET', '/v1/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toMatch(/^3\./);
    for (const e of Object.values(CORE_ENDPOINTS)) {
      const path = e.path.replace(/:(\w+)/g, '{$1}');
      expect(r.body.paths[path]?.[e.method.toLowerCase()], `${e.method} ${e.path}`).toBeDefined();
    }
    const alloc = r.body.paths['/v1/merchant/allocations'].post;
    expect(alloc.requestBody.content['application/json'].schema.properties.orderSns.maxItems).toBe(1000);
  });
});
