import { StationError, type StationErrorCode } from '../../shared/ipc/index.ts';
import { LabelError } from '../../shared/label/index.ts';

/**
 * A label (or a printer setting) that cannot be printed, as the station's one error type: the label
 * engine's own code and both languages travel on, so the worker reads why in the UI's language.
 */
export function labelFailure(
  e: unknown,
  code: Extract<StationErrorCode, 'label_invalid' | 'settings_invalid'> = 'label_invalid',
): StationError {
  if (e instanceof StationError) return e;
  if (e instanceof LabelError)
    return new StationError(code, { message: e.message, messageEn: e.messageEn, cause: e.code });
  const msg = e instanceof Error ? e.message : String(e);
  return new StationError(code, { message: msg, messageEn: msg });
}
