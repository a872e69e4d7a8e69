import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLE_LABEL, sampleLabels } from '../../../shared/label/index.ts';
import { parseCliArgs, runCli, UsageError } from '../../../main/print/cli.ts';
import type { CliIo } from '../../../main/print/cli.ts';
import { renderPdf } from '../../../main/print/backends/pdf.ts';
import { decodePdfBarcodes, tempDir, zbarDecode } from '../../support/decode.ts';
import { startRawListener } from '../../support/raw-listener.ts';

const tmp = tempDir('daifa-cli-');
afterAll(() => tmp.cleanup());

function io(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
    writeFile: (p, b) => writeFileSync(p, b),
  };
}

describe('label CLI', () => {
  it('--sample --format pdf writes a PDF whose codes scan', async () => {
    const out = join(tmp.dir, 'sample.pdf');
    const o = io();
    expect(await runCli(['--sample', '--template', '76x130', '--format', 'pdf', '--out', out], o)).toBe(0);
    expect(o.out.join('\n')).toContain('已生成 1 张面单');
    const pages = await decodePdfBarcodes(readFileSync(out));
    expect(pages[0]).toContainEqual({ type: 'CODE-128', data: SAMPLE_LABEL.waybillNo });
  });

  it('--in with an array of labels and --format png writes a scannable preview', async () => {
    const labels = sampleLabels(2, 11);
    const input = join(tmp.dir, 'in.json');
    writeFileSync(input, JSON.stringify(labels));
    const out = join(tmp.dir, 'out.png');
    expect(await runCli(['--in', input, '--format', 'png', '--dpi', '300', '--out', out], io())).toBe(0);
    const found = await zbarDecode(out);
    for (const l of labels) expect(found).toContainEqual({ type: 'CODE-128', data: l.waybillNo });
  });

  it('--printer sends exactly the backend bytes to a raw TCP printer', async () => {
    const listener = await startRawListener();
    try {
      const o = io();
      expect(await runCli(['--sample', '--format', 'pdf', '--printer', `tcp://127.0.0.1:${listener.port}`], o)).toBe(0);
      const expected = (await renderPdf([SAMPLE_LABEL], { template: '100x180' })).bytes;
      await listener.waitForBytes(expected.length);
      expect(Buffer.compare(listener.bytes(), Buffer.from(expected))).toBe(0);
      expect(o.out.join('\n')).toContain('已发送');
    } finally {
      await listener.close();
    }
  });

  it('reports truncation and missing glyphs on stderr without failing', async () => {
    const input = join(tmp.dir, 'rare.json');
    writeFileSync(input, JSON.stringify({ ...SAMPLE_LABEL, receiver: { ...SAMPLE_LABEL.receiver, name: '😀*' } }));
    const o = io();
    expect(await runCli(['--in', input, '--format', 'png', '--out', join(tmp.dir, 'rare.png')], o)).toBe(0);
    expect(o.err.join('\n')).toMatch(/已印为 □：😀/);
  });

  it('fails with exit code 2 and the offending field on bad input', async () => {
    const input = join(tmp.dir, 'bad.json');
    writeFileSync(input, JSON.stringify({ ...SAMPLE_LABEL, waybillNo: '中通123' }));
    const o = io();
    const out = join(tmp.dir, 'never.pdf');
    expect(await runCli(['--in', input, '--out', out], o)).toBe(2);
    expect(o.err.join('\n')).toContain('waybillNo');
    expect(existsSync(out)).toBe(false);
  });

  it('reads JSON saved with a UTF-8 BOM, and explains an --out it cannot write', async () => {
    const input = join(tmp.dir, 'bom.json');
    writeFileSync(input, '\uFEFF' + JSON.stringify(SAMPLE_LABEL));
    const ok = io();
    expect(await runCli(['--in', input, '--format', 'zpl', '--out', join(tmp.dir, 'bom.zpl')], ok)).toBe(0);
    const o = io();
    expect(await runCli(['--sample', '--out', join(tmp.dir, 'no', 'such', 'dir', 'x.pdf')], o)).toBe(1);
    expect(o.err.join('\n')).toContain('所在文件夹不存在');
    expect(await runCli(['--sample', '--out', tmp.dir], o)).toBe(1);
    expect(o.err.join('\n')).toContain('这是一个文件夹');
  });

  it('rejects bad usage with a clear message', () => {
    const bad: string[][] = [
      ['--out', 'x.pdf'],
      ['--sample'],
      ['--sample', '--in', 'a.json', '--out', 'x'],
      ['--sample', '--format', 'bmp', '--out', 'x'],
      ['--sample', '--template', '80x50', '--out', 'x'],
      ['--sample', '--dpi', '600', '--out', 'x'],
      ['--sample', '--copies', 'two', '--out', 'x'],
      ['--sample', '--bogus', '--out', 'x'],
      ['--sample', '--speed', '0.5', '--out', 'x'], // below what printers take: refused, not rounded
      ['--sample', '--speed', '15', '--out', 'x'],
    ];
    for (const argv of bad) expect(() => parseCliArgs(argv), argv.join(' ')).toThrow(UsageError);
    const ok = parseCliArgs([
      '--sample',
      '--format',
      'zpl',
      '--dpi',
      '300',
      '--offset-x',
      '-1.5',
      '--copies',
      '3',
      '--printer',
      'tcp://h:9100',
    ]);
    expect(ok.options).toMatchObject({ dpi: 300, offsetMm: { x: -1.5, y: 0 }, copies: 3, template: '100x180' });
    expect(ok.printer).toBe('tcp://h:9100');
  });

  it('prints an actionable printer error and exits 1 when the printer is unreachable', async () => {
    const o = io();
    expect(await runCli(['--sample', '--format', 'tspl', '--printer', 'tcp://127.0.0.1:1'], o)).toBe(1);
    expect(o.err.join('\n')).toMatch(/失败：.*127\.0\.0\.1:1/);
  });
});
