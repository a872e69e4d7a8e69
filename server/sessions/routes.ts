/**
 * Console sign-in routes: the platform mints login links; the console exchanges one for the session
 * cookie (HttpOnly, SameSite=Strict, Secure behind TLS), reads its session, and logs out.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, SESSION_TTL_MS } from '../../shared/api/session.ts';
import { ENDPOINTS } from '../../shared/api/endpoints.ts';
import type { HubContext } from '../context.ts';
import { sameOriginAsHost } from '../http/auth.ts';
import { DomainError } from '../errors.ts';
import { registerEndpoint } from '../http/route.ts';
import { endSession, exchangeLoginLink, mintLoginLink, sessionView } from './sessions.ts';

export function sessionRoutes(app: FastifyInstance, ctx: HubContext): void {
  registerEndpoint(app, ctx, ENDPOINTS.createLoginLink, async ({ body }) => mintLoginLink(ctx, body.shopId));

  registerEndpoint(app, ctx, ENDPOINTS.createSession, async ({ body, request, reply }) => {
    // The exchange is a sign-in: a page of another origin must not sign a person in as someone else.
    const origin = request.headers.origin;
    if (origin !== undefined && !sameOriginAsHost(origin, request.headers.host)) {
      throw new DomainError('CSRF_FAILED', '跨站请求被拒绝：请直接打开登录链接');
    }
    const created = await exchangeLoginLink(ctx, body.token);
    setSessionCookie(reply, request, created.token, SESSION_TTL_MS / 1000);
    return { session: created.session };
  });

  registerEndpoint(app, ctx, ENDPOINTS.getSession, async ({ caller }) => ({
    session: await sessionView(ctx, caller.shopId, caller.session?.token ?? null, caller.session?.expiresAt ?? null),
  }));

  registerEndpoint(app, ctx, ENDPOINTS.deleteSession, async ({ caller, request, reply }) => {
    if (caller.session) {
      await endSession(ctx, caller.session.token);
      setSessionCookie(reply, request, '', 0);
    }
    return { ok: true as const };
  });
}

function setSessionCookie(reply: FastifyReply, req: FastifyRequest, value: string, maxAgeSeconds: number): void {
  void reply.setCookie(SESSION_COOKIE, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    // Behind TLS the cookie never travels in clear.
    secure: req.protocol === 'https',
    maxAge: maxAgeSeconds,
  });
}
