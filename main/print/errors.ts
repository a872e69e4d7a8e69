/**
 * Printer failures as one typed error with a stable code and an actionable message in Chinese (the
 * station's language) and English. Transports never let a bare Node error or stack reach the UI: they
 * wrap everything through `toPrinterError()`.
 */

export type PrinterErrorCode =
  | 'bad_url' // the printer address cannot be understood
  | 'unreachable' // nothing answers at that address
  | 'timeout' // connected, but the printer stopped taking data (or never answered)
  | 'connection_lost' // the printer closed the connection while we were sending
  | 'permission_denied' // the OS refuses access to the device / folder
  | 'device_not_found' // no such device file / USB device (unplugged, switched off)
  | 'device_busy' // another program holds the device
  | 'kernel_driver_active' // libusb: the kernel printer driver owns the device; use /dev/usb/lpN
  | 'no_such_queue' // CUPS / Windows spooler has no queue of that name
  | 'spooler_failed' // lp / the spooler refused the job
  | 'paper_out'
  | 'head_open'
  | 'paper_jam'
  | 'ribbon_out'
  | 'printer_paused'
  | 'printer_error' // the printer reports an error without details
  | 'disk_full' // the virtual printer's folder is full
  | 'folder_unusable' // the virtual printer's folder cannot be created or written
  | 'unsupported' // the platform or build lacks what this transport needs
  | 'unknown';

interface Texts {
  zh: string;
  en: string;
}

/** What went wrong and what the worker should do about it; `{t}` is replaced by the target (address, device, queue). */
const TEXTS: Record<PrinterErrorCode, Texts> = {
  bad_url: {
    zh: '打印机地址无法识别：{t}。格式示例：tcp://192.168.1.50:9100、usb:///dev/usb/lp0、system://队列名、file:///文件夹',
    en: 'Unrecognised printer address: {t}. Examples: tcp://192.168.1.50:9100, usb:///dev/usb/lp0, system://QUEUE, file:///folder',
  },
  unreachable: {
    zh: '无法连接打印机 {t}：请检查打印机是否开机、网线是否连接、IP 地址和端口（通常为 9100）是否正确。',
    en: 'Cannot reach printer {t}: check that it is switched on and connected, and that the IP address and port (usually 9100) are right.',
  },
  timeout: {
    zh: '打印机 {t} 响应超时：打印机可能忙碌、缺纸或已暂停。请检查打印机面板指示灯后重试。',
    en: 'Printer {t} timed out: it may be busy, out of paper or paused. Check the printer panel and retry.',
  },
  connection_lost: {
    zh: '发送过程中打印机 {t} 断开了连接：请检查网络/数据线后重试，并核对最后一张面单是否已打出。',
    en: 'Printer {t} dropped the connection while receiving: check the cable/network, retry, and check whether the last label printed.',
  },
  permission_denied: {
    zh: '没有权限访问 {t}：请把当前用户加入 lp 组（sudo usermod -aG lp $USER，然后重新登录），或检查文件夹权限。',
    en: 'Permission denied on {t}: add the current user to the lp group (sudo usermod -aG lp $USER, then log in again), or check the folder permissions.',
  },
  device_not_found: {
    zh: '找不到打印机设备 {t}：请确认 USB 线已插好、打印机已开机，然后在“打印机”设置中重新检测。',
    en: 'Printer device {t} not found: check the USB cable and that the printer is on, then re-scan in printer settings.',
  },
  device_busy: {
    zh: '打印机设备 {t} 被其他程序占用：请关闭其他打印软件后重试。',
    en: 'Printer device {t} is in use by another program: close other printing software and retry.',
  },
  kernel_driver_active: {
    zh: '系统打印驱动已接管 USB 打印机 {t}：请改用 usb:///dev/usb/lp0 这类设备地址（或在地址后加 ?detach=1 强制直连）。',
    en: 'The kernel printer driver owns USB printer {t}: use a device address such as usb:///dev/usb/lp0 instead (or add ?detach=1 to take it over).',
  },
  no_such_queue: {
    zh: '系统中没有名为 {t} 的打印队列：请在系统打印机设置中确认队列名，或在“打印机”设置中重新检测。',
    en: 'There is no print queue named {t}: check the queue name in the system printer settings, or re-scan in printer settings.',
  },
  spooler_failed: {
    zh: '系统打印服务拒绝了任务（{t}）：请确认打印服务（CUPS）正在运行且队列已启用。',
    en: 'The system print service refused the job ({t}): check that the print service (CUPS) is running and the queue is enabled.',
  },
  paper_out: {
    zh: '打印机 {t} 缺纸：请装入面单纸后按打印机上的走纸键，再继续打印。',
    en: 'Printer {t} is out of paper: load labels, press the feed button, then resume.',
  },
  head_open: {
    zh: '打印机 {t} 的打印头/上盖未合上：请合上后重试。',
    en: 'Printer {t} has its print head or cover open: close it and retry.',
  },
  paper_jam: {
    zh: '打印机 {t} 卡纸：请清除卡纸并校准纸张后重试。',
    en: 'Printer {t} has a paper jam: clear it, recalibrate the media and retry.',
  },
  ribbon_out: {
    zh: '打印机 {t} 碳带用完：请更换碳带（热敏面单无需碳带时请检查打印模式设置）。',
    en: 'Printer {t} is out of ribbon: replace it (for direct-thermal labels, check the print mode setting).',
  },
  printer_paused: {
    zh: '打印机 {t} 处于暂停状态：请按打印机上的暂停/走纸键恢复。',
    en: 'Printer {t} is paused: press its pause/feed button to resume.',
  },
  printer_error: {
    zh: '打印机 {t} 报告错误：请查看打印机指示灯，必要时重启打印机。',
    en: 'Printer {t} reports an error: check its status lights and restart it if needed.',
  },
  disk_full: {
    zh: '虚拟打印机的文件夹 {t} 空间不足：请清理磁盘或更换输出文件夹。',
    en: 'The virtual printer folder {t} is out of space: free some disk space or choose another folder.',
  },
  folder_unusable: {
    zh: '无法写入虚拟打印机文件夹 {t}：请确认该路径是一个有写入权限的文件夹，或在“打印机”设置中更换输出文件夹。',
    en: 'Cannot write to the virtual printer folder {t}: make sure it is a folder you may write to, or choose another output folder in printer settings.',
  },
  unsupported: {
    zh: '当前系统不支持此打印方式（{t}）。',
    en: 'This way of printing is not supported here ({t}).',
  },
  unknown: {
    zh: '打印机 {t} 出错：请检查打印机和连接后重试。',
    en: 'Printer {t} failed: check the printer and its connection, then retry.',
  },
};

export interface PrinterErrorOptions {
  /** The address, device path or queue the error is about, shown to the worker. */
  target?: string;
  /** Extra detail for logs and the "details" line (e.g. lp's stderr); never a stack. */
  detail?: string;
  cause?: unknown;
}

export class PrinterError extends Error {
  readonly code: PrinterErrorCode;
  /** English text; `message` is the Chinese text. */
  readonly messageEn: string;
  readonly target: string;
  readonly detail: string | undefined;

  constructor(code: PrinterErrorCode, options: PrinterErrorOptions = {}) {
    const target = options.target ?? '';
    const texts = TEXTS[code];
    const zh = texts.zh.replaceAll('{t}', target || '（未指定）');
    super(zh, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PrinterError';
    this.code = code;
    this.messageEn = texts.en.replaceAll('{t}', target || '(unspecified)');
    this.target = target;
    this.detail = options.detail;
  }

  /** Both languages on one line, for logs and the CLI: never a stack. */
  override toString(): string {
    const detail = this.detail ? ` [${this.detail}]` : '';
    return `[${this.code}] ${this.message} / ${this.messageEn}${detail}`;
  }

  toJSON(): { code: PrinterErrorCode; message: string; messageEn: string; target: string; detail?: string } {
    return {
      code: this.code,
      message: this.message,
      messageEn: this.messageEn,
      target: this.target,
      ...(this.detail ? { detail: this.detail } : {}),
    };
  }
}

/** Node system-error codes → our codes. Anything else becomes `unknown` with the original text as detail. */
const ERRNO_TO_CODE: Record<string, PrinterErrorCode> = {
  ECONNREFUSED: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
  ENOTFOUND: 'unreachable',
  EAI_AGAIN: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
  ETIMEDOUT: 'timeout',
  ECONNRESET: 'connection_lost',
  EPIPE: 'connection_lost',
  ECONNABORTED: 'connection_lost',
  EACCES: 'permission_denied',
  EPERM: 'permission_denied',
  EROFS: 'permission_denied',
  ENOENT: 'device_not_found',
  ENODEV: 'device_not_found',
  ENXIO: 'device_not_found',
  EBUSY: 'device_busy',
  // The Linux usblp driver answers a write with ENOSPC when the printer reports paper-out (LP_PNOPAPER).
  ENOSPC: 'paper_out',
  EIO: 'printer_error',
  EDQUOT: 'disk_full',
};

/** The errno-like code of a Node error, or undefined. */
export function errnoOf(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/**
 * Wraps any thrown value as a PrinterError. `overrides` lets a transport reinterpret an errno in its own
 * context (a folder's ENOSPC is a full disk, not paper-out; a folder's ENOENT is not a missing device).
 */
export function toPrinterError(
  err: unknown,
  target: string,
  overrides: Partial<Record<string, PrinterErrorCode>> = {},
): PrinterError {
  if (err instanceof PrinterError) return err;
  const errno = errnoOf(err);
  const code = (errno && (overrides[errno] ?? ERRNO_TO_CODE[errno])) || 'unknown';
  const detail = err instanceof Error ? err.message : String(err);
  return new PrinterError(code, { target, detail, cause: err });
}
