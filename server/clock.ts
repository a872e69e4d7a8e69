/**
 * The hub's one clock. Every time-dependent rule (pairing code expiry, timestamps, statement
 * limits) reads `clock.now()`, so tests can move time (HUB_TEST_CLOCK=1 → POST /v1/platform/clock).
 */
export interface Clock {
  now(): Date;
}

export interface SettableClock extends Clock {
  /** From now on, time reads as `at` plus the real time elapsed since this call. */
  set(at: Date): void;
  /** Move time forward (or back, with a negative value) by `ms`. */
  advance(ms: number): void;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that runs with real time from a settable offset (so successive events keep their order). */
export function createSettableClock(start?: Date): SettableClock {
  let offset = start ? start.getTime() - Date.now() : 0;
  return {
    now: () => new Date(Date.now() + offset),
    set(at) {
      offset = at.getTime() - Date.now();
    },
    advance(ms) {
      offset += ms;
    },
  };
}

export function isSettable(clock: Clock): clock is SettableClock {
  return typeof (clock as Partial<SettableClock>).set === 'function';
}
