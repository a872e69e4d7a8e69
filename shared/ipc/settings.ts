/**
 * What a station stores about itself (main's settings file) and about its printers. The renderer reads
 * and edits them through the contract; secrets (hub token, payload key, reprint PIN) never appear here.
 */
import { z } from 'zod';
import { CourierSchema } from '../api/common.ts';

export const LABEL_FORMATS = ['pdf', 'png', 'tspl', 'zpl', 'escpos'] as const;
export const LabelFormatSchema = z.enum(LABEL_FORMATS);
export type LabelFormatId = z.infer<typeof LabelFormatSchema>;

export const TemplateIdSchema = z.enum(['100x180', '76x130']);
export type TemplateIdValue = z.infer<typeof TemplateIdSchema>;

export const OffsetSchema = z.strictObject({
  x: z.number().min(-20).max(20),
  y: z.number().min(-20).max(20),
});

/** One printer as the station knows it: where it is, what it speaks, and how it is calibrated. */
export const PrinterConfigSchema = z.strictObject({
  id: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(64),
  /** A transport address: tcp://host:9100, usb:///dev/usb/lp0, usb://VID:PID, system://QUEUE, file:///folder. */
  url: z.string().trim().min(1).max(512),
  format: LabelFormatSchema,
  template: TemplateIdSchema,
  dpi: z.union([z.literal(203), z.literal(300)]),
  /** 0–15 (TSPL's DENSITY scale; other languages map it). */
  darkness: z.number().int().min(0).max(15),
  /** Inches per second. */
  speed: z.number().min(1).max(14),
  offsetMm: OffsetSchema,
  /** ESC/POS printers: native text and codes, or the exact label as a raster. */
  escposMode: z.enum(['text', 'raster']).optional(),
  /** The gap (or black mark) between labels on the roll, mm; 0 for continuous media. Default 2. */
  gapMm: z.number().min(0).max(20).optional(),
  /** 1: the label's top leaves the printer first (most desktop printers); 0: turned 180°. Default 1. */
  direction: z.union([z.literal(0), z.literal(1)]).optional(),
});
export type PrinterConfig = z.infer<typeof PrinterConfigSchema>;

export const NewPrinterSchema = PrinterConfigSchema.omit({ id: true }).partial({
  template: true,
  dpi: true,
  darkness: true,
  speed: true,
  offsetMm: true,
});
export type NewPrinter = z.input<typeof NewPrinterSchema>;

export const PrinterPatchSchema = PrinterConfigSchema.omit({ id: true }).partial();

export const OfflinePolicySchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('block') }),
  /** Print offline only orders synced within this many minutes and normal then; such prints are unverified. */
  z.strictObject({
    mode: z.literal('grace'),
    minutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
  }),
]);
export type OfflinePolicy = z.infer<typeof OfflinePolicySchema>;
export const DEFAULT_OFFLINE_POLICY: OfflinePolicy = { mode: 'grace', minutes: 30 };

export const LangSchema = z.enum(['zh', 'en']);

export const StationSettingsSchema = z.strictObject({
  hubUrl: z.string().nullable(),
  stationName: z.string(),
  language: LangSchema,
  offlinePolicy: OfflinePolicySchema,
  defaultCourier: CourierSchema,
  printers: z.array(PrinterConfigSchema),
  defaultPrinterId: z.string().nullable(),
  /** A printer per template (a 76x130 printer beside a 100x180 one). */
  printerByTemplate: z.partialRecord(TemplateIdSchema, z.string()),
  /** Whether a reprint needs the PIN. The PIN itself stays in main, hashed. */
  reprintLocked: z.boolean(),
});
export type StationSettings = z.infer<typeof StationSettingsSchema>;

export const ReprintPinSchema = z.string().regex(/^\d{4,8}$/, '重打密码为 4–8 位数字');

export const SettingsPatchSchema = z.strictObject({
  stationName: z.string().trim().min(1).max(64).optional(),
  language: LangSchema.optional(),
  offlinePolicy: OfflinePolicySchema.optional(),
  defaultCourier: CourierSchema.optional(),
  defaultPrinterId: z.string().nullable().optional(),
  printerByTemplate: z.partialRecord(TemplateIdSchema, z.string()).optional(),
  /** Set (a PIN) or clear (null) the reprint lock; changing or clearing an existing PIN needs `currentPin`. */
  reprintPin: z
    .strictObject({ pin: ReprintPinSchema.nullable(), currentPin: z.string().max(16).optional() })
    .optional(),
});
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;
