/**
 * Draws the station's app icon (assets/icon.png, 512×512): 代 in white on the brand red, in the bundled
 * CJK font. electron-builder makes the Windows .ico and the Linux sizes from it.
 *   node scripts/build-icon.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';

const root = fileURLToPath(new URL('..', import.meta.url));
GlobalFonts.registerFromPath(path.join(root, 'assets/fonts/NotoSansCJKsc-Bold-waybill.otf'), 'DaifaIcon');
const size = 512;
const canvas = createCanvas(size, size);
const ctx = canvas.getContext('2d');
const r = 96;
ctx.fillStyle = '#e02e24';
ctx.beginPath();
ctx.roundRect(16, 16, size - 32, size - 32, r);
ctx.fill();
ctx.fillStyle = '#ffffff';
ctx.font = '340px DaifaIcon';
ctx.textAlign = 'center';
ctx.textBaseline = 'middle';
ctx.fillText('代', size / 2, size / 2 + 16);
writeFileSync(path.join(root, 'assets/icon.png'), canvas.toBuffer('image/png'));
console.log('assets/icon.png');
