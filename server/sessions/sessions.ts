/**
 * Console sign-in (DESIGN §8a): one-time login links minted by the platform, exchanged for a
 * session. Link tokens and session tokens are random and stored only as sha256 hashes; a link is
 * used at most once (the update that marks it used is the guard against two tabs racing) and
 * expires after 10 minutes of the hub's clock. The CSRF token of a session is derived from its
 * token, so it needs no storage and cannot be known without the HttpOnly cookie.
 */
import { createHash } from 'node:crypto';
import { LOGIN_LINK_TTL_MS, LOGIN_PAGE_PATH, SESSION_TTL_MS } from '../../shared/api/session.ts';
import type { CreateLoginLinkResponse, SessionView } from '../../shared/api/session.ts';
import type { HubContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import { hashSecret, newToken } from '../secrets.ts';
import { writeTx } from '../db/tx.ts';

export const LOGIN_LINK_TOKEN_PREFIX = 'dfl_';
export const SESSION_TOKEN_PREFIX = 'dfc_';

export async function mintLoginLink(ctx: HubContext, shopId: number): Promise<CreateLoginLinkResponse> {
  const shop = await ctx.db.selectFrom('shops').select('id').where('id', '=', shopId).executeTakeFirst();
  if (!shop) throw new DomainError('SHOP_NOT_FOUND', '店铺不存在');
  const token = newToken(LOGIN_LINK_TOKEN_PREFIX);
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + LOGIN_LINK_TTL_MS).toISOString();
  await ctx.db
    .insertInto('login_links')
    .values({
      token_hash: hashSecret(token),
      shop_id: shopId,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      used_at: null,
    })
    .execute();
  return { path: `${LOGIN_PAGE_PATH}#${token}`, expiresAt };
}

export interface NewSession {
  /** The cookie value. */
  token: string;
  session: SessionView;
}

/** Uses a login link (once) and opens a session for its shop. */
export async function exchangeLoginLink(ctx: HubContext, linkToken: string): Promise<NewSession> {
  const token = newToken(SESSION_TOKEN_PREFIX);
  await writeTx(ctx, async (trx) => {
    const now = ctx.clock.now();
    const link = await trx
      .selectFrom('login_links')
      .selectAll()
      .where('token_hash', '=', hashSecret(linkToken))
      .executeTakeFirst();
    if (!link) throw new DomainError('LOGIN_LINK_INVALID', '登录链接无效，请向平台重新获取');
    if (link.used_at !== null)
      throw new DomainError('LOGIN_LINK_USED', '登录链接已使用过，每个链接只能使用一次，请重新获取');
    if (link.expires_at <= now.toISOString()) {
      throw new DomainError('LOGIN_LINK_EXPIRED', '登录链接已过期（有效期 10 分钟），请重新获取');
    }
    const used = await trx
      .updateTable('login_links')
      .set({ used_at: now.toISOString() })
      .where('token_hash', '=', link.token_hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) {
      throw new DomainError('LOGIN_LINK_USED', '登录链接已使用过，每个链接只能使用一次，请重新获取');
    }
    await trx
      .insertInto('console_sessions')
      .values({
        token_hash: hashSecret(token),
        shop_id: link.shop_id,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
        ended_at: null,
      })
      .execute();
  });
  const session = await sessionOf(ctx, token);
  if (!session) throw new Error('session vanished right after it was created');
  return { token, session: await sessionView(ctx, session.shopId, token, session.expiresAt) };
}

export interface SessionRecord {
  shopId: number;
  role: 'merchant' | 'factory' | null;
  expiresAt: string;
}

/** The live session behind a cookie value, or null (unknown, ended, or expired). */
export async function sessionOf(ctx: HubContext, token: string): Promise<SessionRecord | null> {
  if (!token.startsWith(SESSION_TOKEN_PREFIX)) return null;
  const row = await ctx.db
    .selectFrom('console_sessions')
    .innerJoin('shops', 'shops.id', 'console_sessions.shop_id')
    .select(['console_sessions.shop_id', 'console_sessions.expires_at', 'console_sessions.ended_at', 'shops.role'])
    .where('console_sessions.token_hash', '=', hashSecret(token))
    .executeTakeFirst();
  if (!row || row.ended_at !== null || row.expires_at <= ctx.clock.now().toISOString()) return null;
  return { shopId: row.shop_id, role: row.role, expiresAt: row.expires_at };
}

export async function endSession(ctx: HubContext, token: string): Promise<void> {
  await ctx.db
    .updateTable('console_sessions')
    .set({ ended_at: ctx.clock.now().toISOString() })
    .where('token_hash', '=', hashSecret(token))
    .where('ended_at', 'is', null)
    .execute();
}

/** The CSRF token of a session: a hash of its (HttpOnly) token, so a page elsewhere cannot know it. */
export function csrfTokenOf(sessionToken: string): string {
  return createHash('sha256').update(`csrf\u0000${sessionToken}`).digest('base64url');
}

export async function sessionView(
  ctx: HubContext,
  shopId: number,
  sessionToken: string | null,
  expiresAt: string | null,
): Promise<SessionView> {
  const shop = await ctx.db
    .selectFrom('shops')
    .select(['name', 'role'])
    .where('id', '=', shopId)
    .executeTakeFirstOrThrow();
  return {
    shopId,
    shopName: shop.name,
    role: shop.role,
    csrfToken: sessionToken ? csrfTokenOf(sessionToken) : null,
    expiresAt,
  };
}
