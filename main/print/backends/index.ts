/**
 * The backend for a label format. The native printer languages are imported only when a printer
 * that speaks them is used, so a PDF-only station never loads them.
 */
import type { LabelBackend, LabelFormat } from '../backend.ts';

export async function loadBackend(format: LabelFormat, escposMode: 'text' | 'raster' = 'text'): Promise<LabelBackend> {
  switch (format) {
    case 'pdf':
      return (await import('./pdf.ts')).pdfBackend;
    case 'png':
      return (await import('./png.ts')).pngBackend;
    case 'tspl':
      return (await import('./tspl.ts')).tsplBackend;
    case 'zpl':
      return (await import('./zpl.ts')).zplBackend;
    case 'escpos': {
      const m = await import('./escpos.ts');
      return escposMode === 'raster' ? m.escposRasterBackend : m.escposBackend;
    }
  }
}
