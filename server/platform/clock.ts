/** Moving the hub's clock, for tests of time rules (statement limits, code expiry, retention). */
import type { HubContext } from '../context.ts';
import { isSettable } from '../clock.ts';
import { DomainError } from '../errors.ts';

/** Sets the clock and returns the time it now reads. */
export function setTestClock(ctx: Pick<HubContext, 'clock' | 'testClock'>, at: Date): string {
  if (!ctx.testClock || !isSettable(ctx.clock)) {
    throw new DomainError('TEST_CLOCK_DISABLED', '时钟只能在测试模式下设置 (HUB_TEST_CLOCK=1)');
  }
  ctx.clock.set(at);
  return ctx.clock.now().toISOString();
}
