/** The waybill faces as Skia (@napi-rs/canvas) knows them: each registered once, under its own family name. */
import { GlobalFonts } from '@napi-rs/canvas';
import { waybillFonts } from './font.ts';
import type { LoadedFace } from './font.ts';

const registered = new Set<string>();

/** Registers a parsed face's buffer with Skia, once per process (a fallback face when it is first drawn). */
export function ensureFaceRegistered(face: LoadedFace): void {
  if (registered.has(face.family)) return;
  if (!GlobalFonts.register(face.buffer, face.family)) throw new Error(`无法注册字体 ${face.path}`);
  registered.add(face.family);
}

/** Registers the primary faces with Skia. */
export function ensureCanvasFonts(): void {
  const fonts = waybillFonts();
  ensureFaceRegistered(fonts.regular);
  ensureFaceRegistered(fonts.bold);
}
