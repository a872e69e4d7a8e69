import { describe, expect, it } from 'vitest';
import {
  chinaDayStart,
  chinaDateTime,
  chinaDay,
  chinaMinute,
  statementAllowance,
  statementLimitMessage,
} from '../../shared/domain/index.ts';

/** China time (UTC+8) to a Date: `cn('2026-11-27 09:00')`. */
const cn = (s: string) => new Date(s.replace(' ', 'T') + ':00+08:00');

interface Case {
  name: string;
  previous: string[];
  now: string;
  expected: { allowed: true } | { allowed: false; reason: 'daily_limit' | 'too_soon'; nextAllowedAt: string };
}

const cases: Case[] = [
  { name: 'first of the day', previous: [], now: '2026-11-27 09:00', expected: { allowed: true } },
  {
    name: 'second, 10 minutes after the first',
    previous: ['2026-11-27 09:00'],
    now: '2026-11-27 09:10',
    expected: { allowed: true },
  },
  {
    name: 'second within 10 minutes',
    previous: ['2026-11-27 09:00'],
    now: '2026-11-27 09:09',
    expected: { allowed: false, reason: 'too_soon', nextAllowedAt: '2026-11-27 09:10' },
  },
  {
    name: 'third of the day',
    previous: ['2026-11-27 09:00', '2026-11-27 10:00'],
    now: '2026-11-27 11:00',
    expected: { allowed: true },
  },
  {
    name: 'fourth of the day waits for China midnight',
    previous: ['2026-11-27 09:00', '2026-11-27 10:00', '2026-11-27 11:00'],
    now: '2026-11-27 18:00',
    expected: { allowed: false, reason: 'daily_limit', nextAllowedAt: '2026-11-28 00:00' },
  },
  {
    name: 'the day turns at 00:00 China time, not UTC (16:00 UTC)',
    previous: ['2026-11-27 09:00', '2026-11-27 10:00', '2026-11-27 11:00'],
    now: '2026-11-28 00:00',
    expected: { allowed: true },
  },
  {
    name: 'at 07:59 China time it is still the same China day although UTC has changed date',
    previous: ['2026-11-27 00:30', '2026-11-27 01:00', '2026-11-27 02:00'],
    now: '2026-11-27 07:59',
    expected: { allowed: false, reason: 'daily_limit', nextAllowedAt: '2026-11-28 00:00' },
  },
  {
    name: 'statements of yesterday (China) do not count today',
    previous: ['2026-11-26 22:00', '2026-11-26 23:00', '2026-11-26 23:40'],
    now: '2026-11-27 00:00',
    expected: { allowed: true },
  },
  {
    name: 'the 10-minute gap holds across midnight',
    previous: ['2026-11-27 23:55'],
    now: '2026-11-28 00:02',
    expected: { allowed: false, reason: 'too_soon', nextAllowedAt: '2026-11-28 00:05' },
  },
  {
    name: 'a full day ending at 23:55 opens at 00:05, not 00:00',
    previous: ['2026-11-27 09:00', '2026-11-27 10:00', '2026-11-27 23:55'],
    now: '2026-11-27 23:58',
    expected: { allowed: false, reason: 'daily_limit', nextAllowedAt: '2026-11-28 00:05' },
  },
  {
    name: 'order of the earlier times does not matter',
    previous: ['2026-11-27 11:00', '2026-11-27 09:00', '2026-11-27 10:00'],
    now: '2026-11-27 11:30',
    expected: { allowed: false, reason: 'daily_limit', nextAllowedAt: '2026-11-28 00:00' },
  },
];

describe('statementAllowance (M8: 3 per China day, 10 minutes apart)', () => {
  it.each(cases)('$name', ({ previous, now, expected }) => {
    const got = statementAllowance(previous.map(cn), cn(now));
    if (expected.allowed) expect(got).toEqual({ allowed: true });
    else expect(got).toEqual({ allowed: false, reason: expected.reason, nextAllowedAt: cn(expected.nextAllowedAt) });
  });

  it('chinaDayStart is 16:00 UTC of the previous UTC day', () => {
    expect(chinaDayStart(new Date('2026-11-27T15:59:59Z')).toISOString()).toBe('2026-11-26T16:00:00.000Z');
    expect(chinaDayStart(new Date('2026-11-27T16:00:00Z')).toISOString()).toBe('2026-11-27T16:00:00.000Z');
  });

  it('says in Chinese when the next statement is allowed, in China time', () => {
    expect(chinaMinute(new Date('2026-11-27T16:05:00Z'))).toBe('2026-11-28 00:05');
    expect(chinaDay('2026-11-27T16:05:00Z')).toBe('2026-11-28');
    expect(chinaDateTime('not a time')).toBe('not a time');
    expect(statementLimitMessage('daily_limit', new Date('2026-11-27T16:00:00Z'))).toContain('2026-11-28 00:00');
    expect(statementLimitMessage('daily_limit', new Date('2026-11-27T16:00:00Z'))).toContain('每天最多生成 3 次对账单');
    expect(statementLimitMessage('too_soon', new Date('2026-11-27T01:10:00Z'))).toContain('10 分钟');
  });
});
