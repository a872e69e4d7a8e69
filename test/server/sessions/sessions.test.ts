/**
 * Console sessions over the API (DESIGN §8a): one-time login links (admin only, single use, 10
 * minutes of the hub clock), the HttpOnly SameSite=Strict cookie, CSRF on cookie-authenticated
 * mutating requests, role checks through the cookie, expiry and logout.
 */
import { expect, it } from 'vitest';
import type { CreateLoginLinkResponse, SessionView } from '../../../shared/api/session.ts';
import { setClock } from '../support/scenarios.ts';
import {
  call,
  createFactory,
  createMerchant,
  describeEachDb,
  ok,
  type TestHub,
  type TestShop,
} from '../support/hub.ts';

async function link(h: TestHub, shop: TestShop): Promise<string> {
  const r = await ok<CreateLoginLinkResponse>(h, 'POST', '/v1/platform/login-links', {
    token: h.adminToken,
    body: { shopId: shop.shopId },
  });
  expect(r.path).toMatch(/^\/login#dfl_[A-Za-z0-9_-]{43}$/);
  return r.path.split('#')[1]!;
}

async function signIn(h: TestHub, shop: TestShop): Promise<{ cookie: string; csrf: string; session: SessionView }> {
  const r = await call<{ session: SessionView }>(h, 'POST', '/v1/session', { body: { token: await link(h, shop) } });
  expect(r.status).toBe(201);
  const setCookie = r.headers.get('set-cookie') ?? '';
  const cookie = /daifa_session=([^;]+)/.exec(setCookie)![1]!;
  return { cookie: `daifa_session=${cookie}`, csrf: r.body.session.csrfToken!, session: r.body.session };
}

describeEachDb('console sessions', ({ hub }) => {
  it('only the platform mints login links, for shops that exist', async () => {
    const m = await createMerchant(hub());
    expect(
      (await call(hub(), 'POST', '/v1/platform/login-links', { token: m.token, body: { shopId: m.shopId } })).status,
    ).toBe(401);
    const none = await call(hub(), 'POST', '/v1/platform/login-links', {
      token: hub().adminToken,
      body: { shopId: 99999999 },
    });
    expect(none).toMatchObject({ status: 404, body: { error: { code: 'SHOP_NOT_FOUND' } } });
  });

  it('a link opens a session once: HttpOnly, SameSite=Strict cookie; the same link again is LOGIN_LINK_USED', async () => {
    const m = await createMerchant(hub(), '会话商家');
    const token = await link(hub(), m);
    const first = await call<{ session: SessionView }>(hub(), 'POST', '/v1/session', { body: { token } });
    expect(first.status).toBe(201);
    expect(first.body.session).toMatchObject({ shopId: m.shopId, role: 'merchant', shopName: '会话商家的店' });
    const cookie = first.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^daifa_session=dfc_/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\//);
    const again = await call(hub(), 'POST', '/v1/session', { body: { token } });
    expect(again).toMatchObject({ status: 410, body: { error: { code: 'LOGIN_LINK_USED' } } });
    const unknown = await call(hub(), 'POST', '/v1/session', { body: { token: 'dfl_nope' } });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'LOGIN_LINK_INVALID' } } });
  });

  it('two tabs racing with one link: exactly one gets a session', async () => {
    const m = await createMerchant(hub());
    const token = await link(hub(), m);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => call(hub(), 'POST', '/v1/session', { body: { token } })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 410, 410, 410, 410, 410]);
  });

  it('a link is valid for 10 minutes of the hub clock', async () => {
    const m = await createMerchant(hub());
    const fresh = await link(hub(), m);
    const stale = await link(hub(), m);
    await setClock(hub(), new Date(hub().clock.now().getTime() + 9 * 60_000));
    expect((await call(hub(), 'POST', '/v1/session', { body: { token: fresh } })).status).toBe(201);
    await setClock(hub(), new Date(hub().clock.now().getTime() + 2 * 60_000));
    const late = await call(hub(), 'POST', '/v1/session', { body: { token: stale } });
    expect(late).toMatchObject({ status: 410, body: { error: { code: 'LOGIN_LINK_EXPIRED' } } });
  });

  it('the cookie authenticates; a mutating request needs the CSRF token and the hub’s own Origin', async () => {
    const m = await createMerchant(hub());
    const s = await signIn(hub(), m);
    const get = await call(hub(), 'GET', '/v1/merchant/return-addresses', { headers: { cookie: s.cookie } });
    expect(get.status).toBe(200);
    const body = { name: '李四', phone: '0571-88886666', address: '杭州市余杭区' };
    const noToken = await call(hub(), 'POST', '/v1/merchant/return-addresses', { headers: { cookie: s.cookie }, body });
    expect(noToken).toMatchObject({ status: 403, body: { error: { code: 'CSRF_FAILED' } } });
    const wrongToken = await call(hub(), 'POST', '/v1/merchant/return-addresses', {
      headers: { cookie: s.cookie, 'x-csrf-token': 'A'.repeat(43) },
      body,
    });
    expect(wrongToken.status).toBe(403);
    const host = new URL(hub().url).host;
    const foreign = await call(hub(), 'POST', '/v1/merchant/return-addresses', {
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, origin: 'http://127.0.0.1:1' },
      body,
    });
    expect(foreign).toMatchObject({ status: 403, body: { error: { code: 'CSRF_FAILED' } } });
    const good = await call(hub(), 'POST', '/v1/merchant/return-addresses', {
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, origin: `http://${host}` },
      body,
    });
    expect(good.status).toBe(201);
    const list = await ok(hub(), 'GET', '/v1/merchant/return-addresses', { token: m.token });
    expect(list.returnAddresses).toHaveLength(1); // only the one accepted request wrote
  });

  it('the cookie carries its role: a merchant session cannot call factory endpoints; station endpoints refuse it', async () => {
    const m = await createMerchant(hub());
    const s = await signIn(hub(), m);
    const factoryCall = await call(hub(), 'GET', '/v1/factory/bindings', { headers: { cookie: s.cookie } });
    expect(factoryCall).toMatchObject({ status: 403, body: { error: { code: 'ROLE_REQUIRED' } } });
    expect((await call(hub(), 'GET', '/v1/station/me', { headers: { cookie: s.cookie } })).status).toBe(401);
    expect(
      (await call(hub(), 'POST', '/v1/shops', { headers: { cookie: s.cookie }, body: { name: 'x' } })).status,
    ).toBe(401);
  });

  it('a session ends after 12 hours, and at logout', async () => {
    const f = await createFactory(hub());
    const s = await signIn(hub(), f);
    const other = await signIn(hub(), f);
    const out = await call(hub(), 'DELETE', '/v1/session', { headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/daifa_session=;.*Max-Age=0/i);
    expect((await call(hub(), 'GET', '/v1/session', { headers: { cookie: s.cookie } })).status).toBe(401);
    expect((await call(hub(), 'GET', '/v1/session', { headers: { cookie: other.cookie } })).status).toBe(200);
    await setClock(hub(), new Date(hub().clock.now().getTime() + 12 * 3600_000 + 1000));
    expect((await call(hub(), 'GET', '/v1/session', { headers: { cookie: other.cookie } })).status).toBe(401);
  });
});
