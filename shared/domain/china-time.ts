/**
 * China time (UTC+8, no daylight saving): the time every person in the seed reads, whatever the
 * zone of the machine. One home for turning an instant into China time and back.
 */
export const CHINA_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

/** `YYYY-MM-DDTHH:mm:ss.sss` of the instant in China time (no zone suffix). */
function chinaIsoOf(t: Date | number | string): string | null {
  const ms = typeof t === 'string' ? Date.parse(t) : typeof t === 'number' ? t : t.getTime();
  return Number.isNaN(ms) ? null : new Date(ms + CHINA_OFFSET_MS).toISOString();
}

/** `2026-11-27 09:05:00`; text that is not a time comes back as it is. */
export function chinaDateTime(t: Date | number | string): string {
  const c = chinaIsoOf(t);
  return c === null ? String(t) : `${c.slice(0, 10)} ${c.slice(11, 19)}`;
}

/** `2026-11-27 09:05`, to the minute. */
export function chinaMinute(t: Date | number | string): string {
  const c = chinaIsoOf(t);
  return c === null ? String(t) : `${c.slice(0, 10)} ${c.slice(11, 16)}`;
}

/** ISO 8601 with China's offset, `2026-11-27T09:05:00+08:00`, as printed on a label. */
export function chinaIsoWithOffset(t: Date | number | string): string {
  const c = chinaIsoOf(t);
  return c === null ? String(t) : `${c.slice(0, 19)}+08:00`;
}

/** The instant a China calendar day (`2026-11-27`) begins. */
export function chinaDayStartOf(day: string): number {
  return Date.parse(`${day}T00:00:00+08:00`);
}

/** The China calendar day, `2026-11-27`. */
export function chinaDay(t: Date | number | string): string {
  const c = chinaIsoOf(t);
  return c === null ? String(t) : c.slice(0, 10);
}

/** The UTC instant at which the China calendar day containing `t` began (00:00 UTC+8). */
export function chinaDayStart(t: Date): Date {
  const local = t.getTime() + CHINA_OFFSET_MS;
  return new Date(Math.floor(local / DAY_MS) * DAY_MS - CHINA_OFFSET_MS);
}
