/**
 * The one place a message from the renderer enters main's services, whatever the host: the method must
 * be in the contract, its arguments must pass the contract's schema, and whatever the handler throws
 * comes back as a StationError value. The result is checked against the contract too, so main never
 * answers in a shape the renderer does not expect.
 */
import { ZodError } from 'zod';
import {
  isMethodName,
  STATION_METHODS,
  StationError,
  type CallReply,
  type StationErrorBody,
} from '../../shared/ipc/index.ts';
import { toStationError } from '../station/hub-link.ts';
import type { CallContext, StationHandlers } from '../station/services.ts';

function zodText(e: ZodError): string {
  return e.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(参数)'}: ${i.message}`)
    .join('；');
}

export function errorBody(e: unknown): StationErrorBody {
  if (e instanceof ZodError) {
    const text = zodText(e);
    return new StationError('invalid_args', {
      message: `参数不正确：${text}`,
      messageEn: `Invalid arguments: ${text}`,
    }).toBody();
  }
  return toStationError(e).toBody();
}

export async function dispatch(
  handlers: StationHandlers,
  method: unknown,
  args: unknown,
  ctx: CallContext,
): Promise<CallReply<unknown>> {
  if (!isMethodName(method)) {
    return { ok: false, error: new StationError('unknown_method', { detail: String(method).slice(0, 64) }).toBody() };
  }
  const def = STATION_METHODS[method];
  const parsed = def.args.safeParse(args ?? {});
  if (!parsed.success) return { ok: false, error: errorBody(parsed.error) };
  let result: unknown;
  try {
    const handler = handlers[method] as (a: unknown, c: CallContext) => Promise<unknown>;
    result = await handler(parsed.data, ctx);
  } catch (e) {
    return { ok: false, error: errorBody(e) };
  }
  const checked = def.result.safeParse(result);
  if (!checked.success) {
    return {
      ok: false,
      error: new StationError('internal', { detail: `${method} result: ${zodText(checked.error)}` }).toBody(),
    };
  }
  return { ok: true, result: checked.data };
}
