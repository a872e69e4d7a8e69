/** Tokens and one-time codes: random, prefixed by kind, stored only as a sha256 hash. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const SHOP_TOKEN_PREFIX = 'dfs_';
export const STATION_TOKEN_PREFIX = 'dft_';

export function newToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}
