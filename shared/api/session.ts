/**
 * Console sign-in (DESIGN §8a): the platform mints a one-time login link for a shop; the console
 * exchanges it for an HttpOnly, SameSite=Strict session cookie. Mutating requests made with the
 * cookie carry the session's CSRF token in a header. API clients keep using bearer tokens.
 */
import { z } from 'zod';
import { RoleSchema, ShopIdSchema } from './common.ts';

/** A login link is good for one use, within 10 minutes. */
export const LOGIN_LINK_TTL_MS = 10 * 60 * 1000;
/** How long a console session lasts after sign-in. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const SESSION_COOKIE = 'daifa_session';
/** The header a cookie-authenticated mutating request carries its CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';
/** The console page that reads the link's token from the URL fragment (never sent to a server or a log). */
export const LOGIN_PAGE_PATH = '/login';

export const CreateLoginLinkRequestSchema = z.strictObject({ shopId: ShopIdSchema });
export const CreateLoginLinkResponseSchema = z.strictObject({
  /** `/login#<token>`: append it to the hub's address. */
  path: z.string(),
  expiresAt: z.string(),
});

export const CreateSessionRequestSchema = z.strictObject({ token: z.string().min(1).max(128) });
export const SessionViewSchema = z.strictObject({
  shopId: ShopIdSchema,
  shopName: z.string(),
  role: RoleSchema.nullable(),
  /** Send it back in the x-csrf-token header with every POST/PUT/DELETE; null for bearer callers. */
  csrfToken: z.string().nullable(),
  /** When the session ends; null for bearer callers. */
  expiresAt: z.string().nullable(),
});
export const SessionResponseSchema = z.strictObject({ session: SessionViewSchema });

export type CreateLoginLinkResponse = z.infer<typeof CreateLoginLinkResponseSchema>;
export type SessionView = z.infer<typeof SessionViewSchema>;
