/**
 * A label that cannot be printed as asked, with a stable code and a message in Chinese (the station's
 * language) and English. The station shows either; nothing is printed for it.
 */
export type LabelErrorCode =
  /** The data fails the label schema. */
  | 'INVALID_LABEL_DATA'
  /** The tracking number is too long for a barcode with modules a scanner reads on this template. */
  | 'BARCODE_TOO_LONG'
  /** The calibration offset pushes a barcode or the QR code off the label. */
  | 'CODE_OFF_LABEL';

export class LabelError extends Error {
  readonly code: LabelErrorCode;
  readonly messageEn: string;
  constructor(code: LabelErrorCode, messageZh: string, messageEn: string) {
    super(messageZh);
    this.name = 'LabelError';
    this.code = code;
    this.messageEn = messageEn;
  }
}
