/**
 * Label rendering benchmark: `npm run bench:labels` (plain Node, no vitest).
 *
 * Every backend runs in its own child process pinned to one CPU core (taskset, where available),
 * so each gets a cold start, its own peak memory (maxRSS) and no interference from the others.
 * A worker renders N labels with varied data (sampleLabels), ONE LABEL PER CALL — the station
 * prints label by label (DESIGN §7) — and, for PDF, also in batches of 50 labels per document.
 *
 * Baselines, in the same run:
 *  - naive pdfkit: the same layout, but the font file read and parsed per document and both codes
 *    embedded as PNG images from bwip-js toBuffer();
 *  - Chromium page.pdf(): the same label as an HTML page (absolutely positioned text, bwip-js SVG codes),
 *    printed by Debian's chromium through playwright-core, the approach of HTML-template print tools.
 *
 * Options: --labels N (default 1000), --chromium-labels N (default 30: page.pdf() takes ~1 s), --naive-labels N (default 200),
 * --only a,b (backends to run), --json (print raw results too).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { LabelData } from '../../shared/label/index.ts';
import type { LabelFormat } from '../../main/print/backend.ts';
import { fmtMs, fmtRatio, markdownTable } from './stats.ts';

const SELF = fileURLToPath(import.meta.url);
const TEMPLATE = '100x180';
const DPI = 203;
const BATCH = 50;

type Kind = 'pdf' | 'pdf-batch' | 'png' | 'tspl' | 'zpl' | 'escpos' | 'naive-pdfkit' | 'chromium';
const KINDS: Kind[] = ['pdf', 'pdf-batch', 'png', 'tspl', 'zpl', 'escpos', 'naive-pdfkit', 'chromium'];

interface WorkerResult {
  kind: Kind;
  ok: boolean;
  error?: string;
  labels: number;
  /** Wall time of the measured loop, ms. */
  totalMs: number;
  /** CPU time (user + system) of the measured loop, ms. */
  cpuMs: number;
  /** From process start to the first label's bytes (Node start, imports, font parse, first render). */
  coldProcessMs: number;
  /** From the first import of our code to the first label's bytes. */
  coldInProcessMs: number;
  /** With --preload: the first label rendered right after warmUpBackend() (what the station does at start). */
  firstAfterWarmUpMs?: number;
  /** Median of single-label renders after warm-up. */
  warmMs: number;
  bytesPerLabel: number;
  maxRssMb: number;
}

// ---------------------------------------------------------------------------------------------
// Worker side

async function worker(kind: Kind, n: number, preload: boolean): Promise<WorkerResult> {
  const t0 = performance.now();
  const label = await import('../../shared/label/index.ts');
  const labels = label.sampleLabels(n, 42);
  const opts = {
    template: TEMPLATE,
    dpi: DPI,
    offsetMm: { x: 0, y: 0 },
    darkness: 8,
    speed: 4,
    copies: 1,
    gapMm: 2,
    direction: 1 as const,
  };

  let renderOne: (i: number) => Promise<number>;
  let close = async () => {};
  if (kind === 'naive-pdfkit') {
    const naive = await naivePdfkit();
    renderOne = (i) => naive(labels[i % labels.length]!);
  } else if (kind === 'chromium') {
    const c = await chromiumPdf();
    renderOne = (i) => c.render(labels[i % labels.length]!);
    close = c.close;
  } else {
    const { loadBackend } = await import('../../main/print/backends/index.ts');
    const backend = await loadBackend(kind === 'pdf-batch' ? 'pdf' : kind);
    if (kind === 'pdf-batch') {
      renderOne = async (i) => {
        const start = (i * BATCH) % labels.length;
        return (await backend.render(labels.slice(start, start + BATCH), opts)).bytes.length;
      };
    } else renderOne = async (i) => (await backend.render([labels[i % labels.length]!], opts)).bytes.length;
  }

  let firstAfterWarmUpMs: number | undefined;
  if (preload) {
    const { warmUpBackend } = await import('../../main/print/backend.ts');
    const { loadBackend } = await import('../../main/print/backends/index.ts');
    await warmUpBackend(await loadBackend(kind === 'pdf-batch' ? 'pdf' : (kind as LabelFormat)), opts);
    const s = performance.now();
    await renderOne(1); // a real label, not the demo label warmUp() drew
    firstAfterWarmUpMs = performance.now() - s;
  }
  // Cold: the very first label of this process.
  await renderOne(0);
  const coldProcessMs = performance.now(); // performance.now() counts from process start
  const coldInProcessMs = performance.now() - t0;

  // Warm single-label latency: the median of 15 renders after a short warm-up.
  for (let i = 0; i < 10; i++) await renderOne(i);
  const singles: number[] = [];
  for (let i = 0; i < 15; i++) {
    const s = performance.now();
    await renderOne(i + 10);
    singles.push(performance.now() - s);
  }
  singles.sort((a, b) => a - b);

  // Throughput.
  const calls = kind === 'pdf-batch' ? Math.ceil(n / BATCH) : n;
  const perCall = kind === 'pdf-batch' ? BATCH : 1;
  let bytes = 0;
  const cpu0 = process.cpuUsage();
  const s = performance.now();
  for (let i = 0; i < calls; i++) bytes += await renderOne(i);
  const totalMs = performance.now() - s;
  const cpu = process.cpuUsage(cpu0);
  await close();
  return {
    kind,
    ok: true,
    labels: calls * perCall,
    totalMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    coldProcessMs,
    coldInProcessMs,
    ...(firstAfterWarmUpMs === undefined ? {} : { firstAfterWarmUpMs }),
    warmMs: singles[Math.floor(singles.length / 2)]! / (kind === 'pdf-batch' ? BATCH : 1),
    bytesPerLabel: bytes / (calls * perCall),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

/** Baseline 1: pdfkit as commonly used — font file per document, barcodes as PNG images. */
async function naivePdfkit(): Promise<(d: LabelData) => Promise<number>> {
  const { default: PDFDocument } = await import('pdfkit');
  const { default: bwipjs } = await import('bwip-js');
  const { prepareLabel } = await import('../../main/print/backend.ts');
  const { fontDir, FONT_FILES } = await import('../../main/print/render/font.ts');
  const { PT_MM } = await import('../../shared/label/index.ts');
  const regular = `${fontDir()}/${FONT_FILES.regular}`;
  const bold = `${fontDir()}/${FONT_FILES.bold}`;
  const pt = (mm: number) => mm / PT_MM;
  return async (data) => {
    const { layout } = prepareLabel(data, { template: TEMPLATE, offsetMm: { x: 0, y: 0 } });
    const doc = new PDFDocument({ size: [pt(layout.widthMm), pt(layout.heightMm)], margin: 0 });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((r) => doc.on('end', () => r()));
    doc.registerFont('r', regular); // read + parsed for this document
    doc.registerFont('b', bold);
    for (const op of layout.ops) {
      if (op.kind === 'rect') {
        if (op.fill) doc.rect(pt(op.x), pt(op.y), pt(op.w), pt(op.h)).fill('#000');
        else doc.lineWidth(pt(op.strokeMm)).rect(pt(op.x), pt(op.y), pt(op.w), pt(op.h)).stroke();
      } else if (op.kind === 'line')
        doc.lineWidth(pt(op.strokeMm)).moveTo(pt(op.x1), pt(op.y1)).lineTo(pt(op.x2), pt(op.y2)).stroke();
      else if (op.kind === 'text') {
        doc
          .font(op.bold ? 'b' : 'r')
          .fontSize(op.sizePt)
          .fillColor(op.inverse ? '#fff' : '#000');
        for (const l of op.lines)
          doc.text(l.text, pt(l.x), pt(l.baseline), { baseline: 'alphabetic', lineBreak: false });
      } else if (op.kind === 'code128') {
        const png = await bwipjs.toBuffer({ bcid: 'code128', text: op.value, scale: 3, height: 12 });
        doc.image(png, pt(op.x), pt(op.y), { width: pt(op.w), height: pt(op.h) });
      } else if (op.kind === 'qr') {
        const png = await bwipjs.toBuffer({ bcid: 'qrcode', text: op.value, scale: 4 });
        doc.image(png, pt(op.x), pt(op.y), { width: pt(op.size), height: pt(op.size) });
      }
    }
    doc.end();
    await done;
    return chunks.reduce((n, c) => n + c.length, 0);
  };
}

/** Baseline 2: the label as HTML, printed to PDF by Chromium (page.pdf). */
async function chromiumPdf(): Promise<{
  render: (d: LabelData) => Promise<number>;
  close: () => Promise<void>;
}> {
  const { chromium } = await import('playwright-core');
  const { default: bwipjs } = await import('bwip-js');
  const { prepareLabel } = await import('../../main/print/backend.ts');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage();
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return {
    async render(data) {
      const { layout } = prepareLabel(data, { template: TEMPLATE, offsetMm: { x: 0, y: 0 } });
      const parts: string[] = [];
      for (const op of layout.ops) {
        if (op.kind === 'rect')
          parts.push(
            `<div style="position:absolute;left:${op.x}mm;top:${op.y}mm;width:${op.w}mm;height:${op.h}mm;box-sizing:border-box;border:${op.strokeMm}mm solid #000;${op.fill ? 'background:#000' : ''}"></div>`,
          );
        else if (op.kind === 'line')
          parts.push(
            `<div style="position:absolute;left:${Math.min(op.x1, op.x2)}mm;top:${Math.min(op.y1, op.y2)}mm;width:${Math.max(op.strokeMm, Math.abs(op.x2 - op.x1))}mm;height:${Math.max(op.strokeMm, Math.abs(op.y2 - op.y1))}mm;background:#000"></div>`,
          );
        else if (op.kind === 'text') {
          for (const l of op.lines) {
            parts.push(
              `<div style="position:absolute;left:${l.x}mm;top:${l.baseline - op.sizePt * 0.3528 * 0.88}mm;font-size:${op.sizePt}pt;line-height:1;white-space:nowrap;font-weight:${op.bold ? 700 : 400};color:${op.inverse ? '#fff' : '#000'}">${esc(l.text)}</div>`,
            );
          }
        } else if (op.kind === 'code128') {
          const svg = bwipjs.toSVG({ bcid: 'code128', text: op.value, height: 12 });
          parts.push(
            `<div style="position:absolute;left:${op.x}mm;top:${op.y}mm;width:${op.w}mm;height:${op.h}mm">${svg.replace('<svg ', '<svg preserveAspectRatio="none" width="100%" height="100%" ')}</div>`,
          );
        } else if (op.kind === 'qr') {
          const svg = bwipjs.toSVG({ bcid: 'qrcode', text: op.value });
          parts.push(
            `<div style="position:absolute;left:${op.x}mm;top:${op.y}mm;width:${op.size}mm;height:${op.size}mm">${svg.replace('<svg ', '<svg width="100%" height="100%" ')}</div>`,
          );
        }
      }
      const html = `<!doctype html><html><head><meta charset="utf-8"><style>@page{size:${layout.widthMm}mm ${layout.heightMm}mm;margin:0}html,body{margin:0;font-family:'Noto Sans CJK SC',sans-serif}</style></head><body><div style="position:relative;width:${layout.widthMm}mm;height:${layout.heightMm}mm">${parts.join('')}</div></body></html>`;
      await page.setContent(html);
      const pdf = await page.pdf({
        width: `${layout.widthMm}mm`,
        height: `${layout.heightMm}mm`,
        printBackground: true,
        margin: { top: '0', right: '0', bottom: '0', left: '0' },
      });
      return pdf.length;
    },
    close: () => browser.close(),
  };
}

// ---------------------------------------------------------------------------------------------
// Parent side

function runWorker(kind: Kind, n: number, preload = false): Promise<WorkerResult> {
  const pin = existsSync('/usr/bin/taskset') ? ['taskset', '-c', '0'] : [];
  const cmd = [
    ...pin,
    process.execPath,
    SELF,
    '--worker',
    kind,
    '--labels',
    String(n),
    ...(preload ? ['--preload'] : []),
  ];
  return new Promise((resolve) => {
    const child = spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as WorkerResult);
      } catch {
        resolve({
          kind,
          ok: false,
          error: `worker exited ${code}: ${out.slice(-500)}`,
          labels: 0,
          totalMs: NaN,
          cpuMs: NaN,
          coldProcessMs: NaN,
          coldInProcessMs: NaN,
          warmMs: NaN,
          bytesPerLabel: NaN,
          maxRssMb: NaN,
        });
      }
    });
  });
}

const GOALS: Partial<Record<Kind, number>> = { pdf: 150, 'pdf-batch': 150, tspl: 500, zpl: 500 };
const NAMES: Record<Kind, string> = {
  pdf: 'pdf (1 label/document)',
  'pdf-batch': `pdf (${BATCH} labels/document)`,
  png: 'png (1-bit preview)',
  tspl: 'tspl',
  zpl: 'zpl',
  escpos: 'escpos (text mode)',
  'naive-pdfkit': 'baseline: naive pdfkit',
  chromium: 'baseline: Chromium page.pdf()',
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      worker: { type: 'string' },
      labels: { type: 'string' },
      'chromium-labels': { type: 'string' },
      'naive-labels': { type: 'string' },
      only: { type: 'string' },
      json: { type: 'boolean' },
      preload: { type: 'boolean' },
    },
  });
  if (values.worker === 'fonts') {
    console.log(JSON.stringify(await fontsWorker()));
    return;
  }
  if (values.worker) {
    const kind = values.worker as Kind;
    try {
      console.log(JSON.stringify(await worker(kind, Number(values.labels ?? 1000), values.preload ?? false)));
    } catch (e) {
      console.log(JSON.stringify({ kind, ok: false, error: (e as Error).message }));
    }
    return;
  }

  const n = Number(values.labels ?? 1000);
  const counts: Record<Kind, number> = {
    pdf: n,
    'pdf-batch': n,
    png: n,
    tspl: n,
    zpl: n,
    escpos: n,
    'naive-pdfkit': Number(values['naive-labels'] ?? 200),
    chromium: Number(values['chromium-labels'] ?? 30),
  };
  const only = values.only ? (values.only.split(',') as Kind[]) : KINDS;
  const started = performance.now();
  const results: WorkerResult[] = [];
  for (const kind of only) {
    process.stderr.write(`bench: ${kind} (${counts[kind]} labels)…\n`);
    const r = await runWorker(kind, counts[kind]);
    // Our backends: also the first label of a fresh process that called warmUpBackend() at start.
    if (r.ok && !kind.startsWith('naive') && kind !== 'chromium' && kind !== 'pdf-batch') {
      r.firstAfterWarmUpMs = (await runWorker(kind, 30, true)).firstAfterWarmUpMs;
    }
    results.push(r);
  }

  const rate = (r: WorkerResult) => (r.labels / r.totalMs) * 1000;
  const cpuRate = (r: WorkerResult) => (r.labels / r.cpuMs) * 1000;
  const rows = results.map((r) => {
    if (!r.ok)
      return [NAMES[r.kind], '–', '–', '–', '–', '–', '–', '–', '–', '–', `failed: ${r.error ?? ''}`.slice(0, 80)];
    const goal = GOALS[r.kind];
    return [
      NAMES[r.kind],
      String(r.labels),
      `${Math.round(rate(r))}/s`,
      // Chromium works in its own processes, whose CPU time this process cannot see.
      r.kind === 'chromium' ? '–' : `${Math.round(cpuRate(r))}/s`,
      fmtMs(r.totalMs / r.labels),
      // The goals are per core: judged on CPU time, which neighbours on a shared machine do not inflate.
      goal ? `≥ ${goal}/s ${cpuRate(r) >= goal ? '✅' : '❌'} (${fmtRatio(cpuRate(r) / goal)})` : '',
      fmtMs(r.coldProcessMs),
      fmtMs(r.coldInProcessMs),
      r.firstAfterWarmUpMs === undefined ? '–' : fmtMs(r.firstAfterWarmUpMs),
      fmtMs(r.warmMs),
      `${(r.bytesPerLabel / 1024).toFixed(1)} KiB`,
      `${Math.round(r.maxRssMb)} MB`,
    ];
  });
  const header = [
    'backend',
    'labels',
    'labels/s (wall)',
    'labels/s (CPU)',
    'ms/label',
    'goal (CPU)',
    'first label, cold process',
    'first label, cold in-process',
    'first label after warmUpBackend()',
    'first label, warm',
    'bytes/label',
    'peak RSS',
  ];
  console.log(
    `\n### Label rendering, template ${TEMPLATE} at ${DPI} dpi, one core${existsSync('/usr/bin/taskset') ? ' (taskset -c 0)' : ''}\n`,
  );
  console.log(markdownTable(header, rows));

  const by = (k: Kind) => results.find((r) => r.kind === k && r.ok);
  const pdf = by('pdf');
  const ratios: string[] = [];
  for (const [k, name] of [
    ['naive-pdfkit', 'naive pdfkit'],
    ['chromium', 'Chromium page.pdf()'],
  ] as const) {
    const b = by(k);
    if (pdf && b)
      ratios.push(
        `- pdf vs ${name}: ${fmtRatio(rate(pdf) / rate(b))} the throughput, first label warm ${fmtRatio(b.warmMs / pdf.warmMs)} faster, ${fmtRatio(b.bytesPerLabel / pdf.bytesPerLabel)} smaller`,
      );
  }
  const batch = by('pdf-batch');
  if (batch) {
    for (const [k, name] of [
      ['naive-pdfkit', 'naive pdfkit'],
      ['chromium', 'Chromium page.pdf()'],
    ] as const) {
      const b = by(k);
      if (b) ratios.push(`- pdf (batched) vs ${name}: ${fmtRatio(rate(batch) / rate(b))} the throughput`);
    }
  }
  if (ratios.length) console.log(`\nRatios:\n${ratios.join('\n')}`);
  if (!values.only) {
    await bytesPerLabel();
    await fontsReport();
  }
  console.log(
    `\nNode ${process.version}, ${readCpuModel()}; total bench time ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  );
  if (values.json) console.log(JSON.stringify(results, null, 2));
  if (results.some((r) => !r.ok)) process.exitCode = 1;
}

/**
 * Bytes per label of every format, template and resolution (100 varied labels), and for TSPL and ZPL what
 * the text bitmaps weigh as page-wide bands (how they were sent before) and cut to their ink (now), with
 * the time one label takes over a 115,200-baud Bluetooth or serial link.
 */
async function bytesPerLabel(): Promise<void> {
  const { sampleLabels } = await import('../../shared/label/index.ts');
  const { DEFAULT_RENDER_OPTIONS, prepareLabel } = await import('../../main/print/backend.ts');
  const { loadBackend } = await import('../../main/print/backends/index.ts');
  const { inkBands, inkBoxes, textLayer } = await import('../../main/print/backends/bitmap-bands.ts');
  const { renderMonochrome } = await import('../../main/print/render/index.ts');
  const { serialSeconds } = await import('../../main/print/transports/url.ts');
  const labels = sampleLabels(100, 7);
  const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
  const rows: string[][] = [];
  for (const template of ['100x180', '76x130']) {
    for (const dpi of [203, 300]) {
      const row = [template, String(dpi)];
      const sizes: Record<string, number> = {};
      for (const [format, mode] of [
        ['pdf', 'text'],
        ['png', 'text'],
        ['tspl', 'text'],
        ['zpl', 'text'],
        ['escpos', 'text'],
        ['escpos', 'raster'],
      ] as const) {
        const backend = await loadBackend(format, mode);
        let bytes = 0;
        for (const l of labels)
          bytes += (await backend.render([l], { ...DEFAULT_RENDER_OPTIONS, template, dpi })).bytes.length;
        sizes[`${format}-${mode}`] = bytes / labels.length;
        row.push(kib(bytes / labels.length));
      }
      let banded = 0;
      let boxed = 0;
      for (const l of labels) {
        const { layout } = prepareLabel(l, { template, dpi, offsetMm: { x: 0, y: 0 } });
        const bits = renderMonochrome(textLayer(layout), { dpi, omitCodes: true });
        // Each bitmap command costs ~28 bytes of header in TSPL.
        banded += inkBands(bits).reduce((n, b) => n + b.widthBytes * b.height + 28, 0);
        boxed += inkBoxes(bits).reduce((n, b) => n + b.widthBytes * b.height + 28, 0);
      }
      row.push(`${kib(banded / labels.length)} → ${kib(boxed / labels.length)} (${fmtRatio(banded / boxed)} smaller)`);
      row.push(`${serialSeconds(sizes['tspl-text']!, 115_200).toFixed(1)} s`);
      rows.push(row);
    }
  }
  console.log('\n### Bytes per label (mean of 100 varied labels)\n');
  console.log(
    markdownTable(
      [
        'template',
        'dpi',
        'pdf',
        'png',
        'tspl',
        'zpl (Z64)',
        'escpos text',
        'escpos raster',
        'TSPL text bitmaps: bands → cut to ink',
        'TSPL label at 115,200 baud',
      ],
      rows,
    ),
  );
}

/** In a fresh process: what the fonts cost at start-up and what a rare character costs. */
async function fontsWorker(): Promise<Record<string, number>> {
  const t0 = performance.now();
  const font = await import('../../main/print/render/font.ts');
  font.waybillFonts();
  const primaryMs = performance.now() - t0;
  const { sampleLabels } = await import('../../shared/label/index.ts');
  const { loadBackend } = await import('../../main/print/backends/index.ts');
  const tspl = await loadBackend('tspl');
  const { DEFAULT_RENDER_OPTIONS } = await import('../../main/print/backend.ts');
  const opts = { ...DEFAULT_RENDER_OPTIONS, template: TEMPLATE, dpi: DPI };
  const plain = sampleLabels(300, 11);
  const rare = plain.map((l, i) => ({
    ...l,
    receiver: { ...l.receiver, name: i % 2 ? '𠀾*㐂' : '陈*𪚥', address: `${l.receiver.address}㐂街𠀾巷` },
  }));
  for (let i = 0; i < 20; i++) await tspl.render([plain[i]!], opts);
  const s = performance.now();
  await tspl.render([rare[0]!], opts); // loads the fallback faces it needs
  const firstRareMs = performance.now() - s;
  await tspl.render([rare[1]!], opts);
  const time = async (list: typeof plain) => {
    const t = performance.now();
    for (const l of list) await tspl.render([l], opts);
    return (list.length / (performance.now() - t)) * 1000;
  };
  const plainRate = await time(plain);
  const rareRate = await time(rare);
  return {
    primaryMs,
    firstRareMs,
    fallbackLoadMs: font.fallbackLoads.reduce((n, l) => n + l.ms, 0),
    fallbackFiles: font.fallbackLoads.length,
    plainRate,
    rareRate,
  };
}

async function fontsReport(): Promise<void> {
  const out = await new Promise<string>((resolve, reject) => {
    const taskset = existsSync('/usr/bin/taskset');
    const args = [SELF, '--worker', 'fonts'];
    const child = spawn(
      taskset ? 'taskset' : process.execPath,
      taskset ? ['-c', '0', process.execPath, ...args] : args,
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(stdout));
  });
  const f = JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
  console.log('\n### Fonts: start-up and rare characters (TSPL, 100x180 at 203 dpi, one core)\n');
  console.log(
    markdownTable(
      ['measure', 'result', 'baseline (same run)', 'ratio'],
      [
        ['read and parse the primary faces at start-up', fmtMs(f['primaryMs']!), '', ''],
        [
          'first label with 㐂 𠀾 𪚥 (reads their fallback faces)',
          fmtMs(f['firstRareMs']!),
          `fallback files read: ${f['fallbackFiles']} in ${fmtMs(f['fallbackLoadMs']!)}`,
          '',
        ],
        [
          'labels with rare characters, labels/s',
          `${Math.round(f['rareRate']!)}/s`,
          `the same labels without: ${Math.round(f['plainRate']!)}/s`,
          fmtRatio(f['rareRate']! / f['plainRate']!),
        ],
      ],
    ),
  );
}

function readCpuModel(): string {
  try {
    return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  } catch {
    return 'unknown CPU';
  }
}

await main();
