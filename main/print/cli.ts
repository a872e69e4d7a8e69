/**
 * The label pipeline on the command line:
 *
 *   npm run label -- --sample --template 100x180 --format pdf --out label.pdf
 *   npm run label -- --in data.json --template 76x130 --format tspl --dpi 203 --printer tcp://192.168.1.50:9100
 *
 * data.json holds one LabelData object or an array of them (schema: shared/label/schema.ts).
 * Exit codes: 0 done, 1 rendering or printing failed, 2 bad usage or bad input.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { LabelDataSchema, SAMPLE_LABEL, TEMPLATE_IDS } from '../../shared/label/index.ts';
import type { LabelData } from '../../shared/label/index.ts';
import type { LabelFormat, RenderedLabels, RenderOptions } from './backend.ts';
import { LABEL_FORMATS, normalizeOptions } from './backend.ts';
import { loadBackend } from './backends/index.ts';
import { slowLinkWarning } from './transports/url.ts';

export const USAGE = `用法 / usage:
  npm run label -- (--in data.json | --sample) [options] (--out FILE | --printer URL)

  --in FILE           面单数据 JSON（一个 LabelData 对象或数组） / label data
  --sample            使用内置示例数据 / built-in demo label
  --template ID       ${TEMPLATE_IDS.join(' | ')}（默认 100x180）
  --format F          ${LABEL_FORMATS.join(' | ')}（默认 pdf）
  --escpos-mode M     text | raster（ESC/POS，默认 text）
  --dpi N             203 | 300（默认 203）
  --offset-x MM       横向校准偏移 / x calibration offset, mm（默认 0）
  --offset-y MM       纵向校准偏移 / y calibration offset, mm（默认 0）
  --darkness N        浓度 0–15（默认 8）
  --speed N           速度 英寸/秒（默认 4）
  --copies N          份数（默认 1）
  --gap MM            标签间隙 / gap between labels, mm（TSPL/ZPL，默认 2；0 = 连续纸）
  --direction 0|1     出纸方向 / print direction（TSPL DIRECTION, ZPL ^PO；默认 1）
  --out FILE          写入文件 / write the bytes to FILE
  --printer URL       发送到打印机 / send to a printer: tcp://host:9100, usb:///dev/usb/lp0,
                      usb://VID:PID, system://QUEUE, file:///folder
  -h, --help`;

export class UsageError extends Error {}

export interface CliArgs {
  labels: LabelData[];
  format: LabelFormat;
  escposMode: 'text' | 'raster';
  options: RenderOptions;
  out: string | undefined;
  printer: string | undefined;
}

function num(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} 需要一个数字，收到 "${v}"`);
  return n;
}

/** Parses argv (without node and script) into a validated job. Throws UsageError with a readable message. */
export function parseCliArgs(
  argv: string[],
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): CliArgs {
  // "--offset-x -1.5": parseArgs would read -1.5 as an option; glue negative numbers to their flag.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (a.startsWith('--') && !a.includes('=') && next !== undefined && /^-\d/.test(next)) {
      args.push(`${a}=${next}`);
      i++;
    } else args.push(a);
  }
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        in: { type: 'string' },
        sample: { type: 'boolean' },
        template: { type: 'string' },
        format: { type: 'string' },
        'escpos-mode': { type: 'string' },
        dpi: { type: 'string' },
        'offset-x': { type: 'string' },
        'offset-y': { type: 'string' },
        darkness: { type: 'string' },
        speed: { type: 'string' },
        copies: { type: 'string' },
        gap: { type: 'string' },
        direction: { type: 'string' },
        out: { type: 'string' },
        printer: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) throw new UsageError('');
  if (!values.in === !values.sample) throw new UsageError('请给出 --in FILE 或 --sample（二选一）');
  if (!values.out === !values.printer) throw new UsageError('请给出 --out FILE 或 --printer URL（二选一）');
  const format = (values.format ?? 'pdf') as LabelFormat;
  if (!LABEL_FORMATS.includes(format))
    throw new UsageError(`--format 只能是 ${LABEL_FORMATS.join('、')}，收到 "${values.format}"`);
  const escposMode = values['escpos-mode'] ?? 'text';
  if (escposMode !== 'text' && escposMode !== 'raster') throw new UsageError(`--escpos-mode 只能是 text 或 raster`);
  const template = values.template ?? '100x180';
  if (!(TEMPLATE_IDS as readonly string[]).includes(template))
    throw new UsageError(`--template 只能是 ${TEMPLATE_IDS.join('、')}，收到 "${template}"`);

  let options: RenderOptions;
  try {
    options = normalizeOptions({
      template,
      dpi: num('dpi', values.dpi, 203),
      offsetMm: { x: num('offset-x', values['offset-x'], 0), y: num('offset-y', values['offset-y'], 0) },
      darkness: num('darkness', values.darkness, 8),
      speed: num('speed', values.speed, 4),
      copies: num('copies', values.copies, 1),
      gapMm: num('gap', values.gap, 2),
      direction: num('direction', values.direction, 1) as 0 | 1,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }

  let labels: LabelData[];
  if (values.sample) labels = [SAMPLE_LABEL];
  else {
    let json: unknown;
    try {
      // Windows editors save UTF-8 with a BOM; JSON.parse does not accept one.
      json = JSON.parse(readFile(values.in!).replace(/^\uFEFF/, ''));
    } catch (e) {
      throw new UsageError(`无法读取面单数据 ${values.in}：${(e as Error).message}`);
    }
    // Parse with the matching schema (not a union) so the messages name the offending field.
    const parsed = Array.isArray(json)
      ? z.array(LabelDataSchema).min(1).safeParse(json)
      : LabelDataSchema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 8).map((i) => `  ${i.path.join('.') || '(根)'}: ${i.message}`);
      throw new UsageError(`面单数据不符合格式 / invalid label data in ${values.in}:\n${issues.join('\n')}`);
    }
    labels = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  }
  return { labels, format, escposMode, options, out: values.out, printer: values.printer };
}

/** Writes --out, turning file-system errors into a sentence a worker can act on. */
function writeOutput(io: CliIo, path: string, bytes: Uint8Array): void {
  try {
    io.writeFile(path, bytes);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why: Record<string, [string, string]> = {
      ENOENT: ['所在文件夹不存在', 'its folder does not exist'],
      EISDIR: ['这是一个文件夹，请给出文件名', 'it is a folder: give a file name'],
      EACCES: ['没有写入权限', 'permission denied'],
      EROFS: ['磁盘只读', 'the disk is read-only'],
      ENOSPC: ['磁盘已满', 'the disk is full'],
    };
    const [zh, en] = (code && why[code]) || [(e as Error).message, (e as Error).message];
    throw Object.assign(new Error(`无法写入 ${path}：${zh}`), { messageEn: `cannot write ${path}: ${en}` });
  }
}

export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  writeFile: (path: string, bytes: Uint8Array) => void;
  /** Sends the job to a printer URL (defaults to the transports' openTransport). */
  send?: (url: string, bytes: Uint8Array) => Promise<void>;
}

async function sendToPrinter(url: string, bytes: Uint8Array): Promise<void> {
  let transports;
  try {
    transports = await import('./transports/index.ts');
  } catch (e) {
    throw new Error('打印机传输模块尚未提供（main/print/transports）/ printer transports are not available yet', {
      cause: e,
    });
  }
  const t = transports.openTransport(url);
  try {
    await t.send(bytes);
  } finally {
    await t.close();
  }
}

function describeReports(result: RenderedLabels, io: CliIo): void {
  for (const r of result.reports) {
    if (r.truncatedFields.length > 0)
      io.stderr(`提示 ${r.waybillNo}：内容过长，已缩写或截断（…）：${r.truncatedFields.join('、')}`);
    if (r.missingGlyphs.length > 0)
      io.stderr(`提示 ${r.waybillNo}：字体缺少这些字符，已印为 □：${r.missingGlyphs.join(' ')}`);
  }
}

/**
 * A virtual printer address without `ext=` gets the format's own extension: otherwise the folder
 * receives PNG or TSPL bytes in a file named .pdf (the transport's default), which no viewer opens.
 */
export function printerUrlFor(url: string, fileExtension: string): string {
  const u = url.trim();
  if (!/^file:\/\//i.test(u) || /[?&]ext=/i.test(u)) return url;
  return `${u}${u.includes('?') ? '&' : '?'}ext=${fileExtension}`;
}

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message) io.stderr(`错误：${e.message}\n`);
    io.stderr(USAGE);
    return e.message ? 2 : 0;
  }
  try {
    const backend = await loadBackend(args.format, args.escposMode);
    const started = performance.now();
    const result = await backend.render(args.labels, args.options);
    const ms = performance.now() - started;
    describeReports(result, io);
    if (args.out) {
      writeOutput(io, args.out, result.bytes);
      io.stdout(
        `已生成 ${args.labels.length} 张面单（${args.format}，${result.bytes.length} 字节，${ms.toFixed(0)} ms）→ ${args.out}`,
      );
    } else {
      const warning = slowLinkWarning(args.printer!, result.bytes.length / Math.max(1, args.labels.length));
      if (warning) io.stderr(`提示：${warning.zh}\nNote: ${warning.en}`);
      await (io.send ?? sendToPrinter)(printerUrlFor(args.printer!, backend.fileExtension), result.bytes);
      io.stdout(`已发送 ${args.labels.length} 张面单（${args.format}，${result.bytes.length} 字节）→ ${args.printer}`);
    }
    return 0;
  } catch (e) {
    const err = e as Error & { messageEn?: string };
    io.stderr(`失败：${err.message}${err.messageEn ? `\nFailed: ${err.messageEn}` : ''}`);
    return 1;
  }
}

if (import.meta.main) {
  const code = await runCli(process.argv.slice(2), {
    stdout: (l) => console.log(l),
    stderr: (l) => console.error(l),
    writeFile: (p, b) => writeFileSync(p, b),
  });
  process.exitCode = code;
}
