/**
 * M8's statement limit, in one place: at most 3 statements per merchant–factory pair per China
 * calendar day (UTC+8, no daylight saving), and at least 10 minutes between two of them.
 * Pure: the caller passes the pair's earlier creation times and the (injectable) clock's now.
 */
import { chinaDayStart, chinaMinute } from './china-time.ts';

export const STATEMENTS_PER_CHINA_DAY = 3;
export const STATEMENT_MIN_GAP_MS = 10 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

export type StatementLimitReason = 'daily_limit' | 'too_soon';

export type StatementAllowance =
  { allowed: true } | { allowed: false; reason: StatementLimitReason; nextAllowedAt: Date };

export function statementAllowance(previousCreatedAtForPair: readonly Date[], now: Date): StatementAllowance {
  const dayStart = chinaDayStart(now).getTime();
  const dayEnd = dayStart + DAY_MS;
  let today = 0;
  let last = -Infinity;
  for (const d of previousCreatedAtForPair) {
    const t = d.getTime();
    if (t >= dayStart && t < dayEnd) today++;
    if (t > last) last = t;
  }
  const gapOpensAt = last + STATEMENT_MIN_GAP_MS;
  if (today >= STATEMENTS_PER_CHINA_DAY) {
    // Both limits apply: a statement at 23:55 still holds the next day's first one until 00:05.
    return { allowed: false, reason: 'daily_limit', nextAllowedAt: new Date(Math.max(dayEnd, gapOpensAt)) };
  }
  if (now.getTime() < gapOpensAt) return { allowed: false, reason: 'too_soon', nextAllowedAt: new Date(gapOpensAt) };
  return { allowed: true };
}

/** The Chinese words of a refusal (the hub sends them as the 429 message). */
export function statementLimitMessage(reason: StatementLimitReason, nextAllowedAt: Date): string {
  const when = chinaMinute(nextAllowedAt);
  return reason === 'daily_limit'
    ? `同一厂家每天最多生成 ${STATEMENTS_PER_CHINA_DAY} 次对账单，请于 ${when}（北京时间）后再试`
    : `两次生成对账单需间隔至少 10 分钟，请于 ${when}（北京时间）后再试`;
}
