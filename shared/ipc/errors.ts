/**
 * The one error type of the station (main services, both IPC transports, the renderer's engines):
 * a stable code and a message in Chinese and English, so the UI can show either language and switch on
 * the code. A printer's own failure keeps the printer's code in `cause` (paper_out, head_open…), a hub
 * refusal keeps the hub's code (PAIRING_CODE_INVALID…), so nothing specific is lost on the way.
 */
import { z } from 'zod';

export const STATION_ERRORS = {
  invalid_message: { zh: '消息格式不正确', en: 'Malformed message' },
  invalid_args: { zh: '参数不正确', en: 'Invalid arguments' },
  unknown_method: { zh: '未知的操作', en: 'Unknown method' },
  too_large: { zh: '消息过大', en: 'Message too large' },
  unauthorized: { zh: '未授权：打印站连接密钥不正确', en: 'Unauthorized: wrong station connection secret' },
  forbidden_origin: { zh: '拒绝来自其他网页的连接', en: 'Connection from another web page refused' },
  not_paired: { zh: '打印站尚未与平台配对', en: 'This station is not paired with a hub yet' },
  hub_unreachable: { zh: '无法连接平台，请检查网络', en: 'Cannot reach the hub: check the network' },
  hub_error: { zh: '平台拒绝了请求', en: 'The hub refused the request' },
  printer_not_found: { zh: '找不到该打印机，请在“打印机”中重新选择', en: 'Printer not found: choose one in Printers' },
  printer_error: { zh: '打印机出错', en: 'Printer error' },
  printer_busy: { zh: '该打印机正在打印另一批', en: 'This printer is busy with another chunk' },
  label_invalid: { zh: '面单无法打印', en: 'The label cannot be printed' },
  payload_invalid: {
    zh: '面单数据无法解密或与订单不符',
    en: 'The print payload cannot be opened or does not match the order',
  },
  pin_required: { zh: '重打已锁定：请输入重打密码', en: 'Reprint is locked: enter the reprint PIN' },
  pin_wrong: { zh: '重打密码不正确', en: 'Wrong reprint PIN' },
  settings_invalid: { zh: '设置不正确', en: 'Invalid settings' },
  aborted: { zh: '已停止', en: 'Stopped' },
  internal: { zh: '打印站内部错误', en: 'Internal station error' },
} as const;

export type StationErrorCode = keyof typeof STATION_ERRORS;

export const StationErrorBodySchema = z.strictObject({
  code: z.enum(Object.keys(STATION_ERRORS) as [StationErrorCode, ...StationErrorCode[]]),
  /** Chinese (the station's language). */
  message: z.string(),
  messageEn: z.string(),
  /** The code of the underlying failure: a printer's (paper_out) or the hub's (PAIRING_CODE_INVALID). */
  cause: z.string().optional(),
  /** A technical detail for the log line; never a stack. */
  detail: z.string().optional(),
});
export type StationErrorBody = z.infer<typeof StationErrorBodySchema>;

export class StationError extends Error {
  readonly code: StationErrorCode;
  readonly messageEn: string;
  readonly causeCode: string | undefined;
  readonly detail: string | undefined;

  constructor(
    code: StationErrorCode,
    opts: { message?: string; messageEn?: string; cause?: string; detail?: string } = {},
  ) {
    super(opts.message ?? STATION_ERRORS[code].zh);
    this.name = 'StationError';
    this.code = code;
    this.messageEn = opts.messageEn ?? STATION_ERRORS[code].en;
    this.causeCode = opts.cause;
    this.detail = opts.detail;
  }

  toBody(): StationErrorBody {
    return {
      code: this.code,
      message: this.message,
      messageEn: this.messageEn,
      ...(this.causeCode ? { cause: this.causeCode } : {}),
      ...(this.detail ? { detail: this.detail } : {}),
    };
  }

  static fromBody(body: StationErrorBody): StationError {
    return new StationError(body.code, body);
  }
}

/** The text of an error body in the UI's language. */
export function stationErrorText(e: StationErrorBody, lang: 'zh' | 'en'): string {
  return lang === 'zh' ? e.message : e.messageEn;
}
