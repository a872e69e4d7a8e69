/**
 * Windows only, and NOT TESTED in this project's CI (Linux): sends bytes to a Windows print queue in
 * RAW mode, which is also how USB label printers are reached on Windows (the USB port belongs to the
 * spooler). There is no native module: PowerShell compiles a few lines of C# that call winspool.drv
 * (OpenPrinter → StartDocPrinter with datatype "RAW" → WritePrinter → EndDocPrinter). The bytes travel
 * through a temporary file and the queue name through an environment variable, so no quoting is needed.
 *
 * Kept in its own file so the Linux/macOS path never touches it.
 */
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrinterError, toPrinterError } from '../errors.ts';
import { execTool } from './exec.ts';

const SCRIPT = String.raw`
$ErrorActionPreference = 'Stop'
Add-Type -TypeDefinition @'
using System;
using System.Runtime.InteropServices;
public static class DaifaRawPrint {
  [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
  public class DOCINFO { public string pDocName; public string pOutputFile; public string pDataType; }
  [DllImport("winspool.drv", CharSet = CharSet.Unicode, SetLastError = true)]
  static extern bool OpenPrinter(string name, out IntPtr h, IntPtr defaults);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool ClosePrinter(IntPtr h);
  [DllImport("winspool.drv", CharSet = CharSet.Unicode, SetLastError = true)]
  static extern int StartDocPrinter(IntPtr h, int level, [In] DOCINFO di);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool EndDocPrinter(IntPtr h);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool StartPagePrinter(IntPtr h);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool EndPagePrinter(IntPtr h);
  [DllImport("winspool.drv", SetLastError = true)]
  static extern bool WritePrinter(IntPtr h, byte[] buf, int count, out int written);
  public static string Send(string queue, string title, byte[] data) {
    IntPtr h;
    if (!OpenPrinter(queue, out h, IntPtr.Zero)) return "ERR_OPEN " + Marshal.GetLastWin32Error();
    try {
      var di = new DOCINFO { pDocName = title, pDataType = "RAW" };
      int job = StartDocPrinter(h, 1, di);
      if (job <= 0) return "ERR_DOC " + Marshal.GetLastWin32Error();
      StartPagePrinter(h);
      int written;
      bool ok = WritePrinter(h, data, data.Length, out written);
      int err = Marshal.GetLastWin32Error();
      EndPagePrinter(h);
      EndDocPrinter(h);
      if (!ok || written != data.Length) return "ERR_WRITE " + err + " " + written;
      return "OK " + job;
    } finally { ClosePrinter(h); }
  }
}
'@
$bytes = [System.IO.File]::ReadAllBytes($env:DAIFA_RAW_FILE)
Write-Output ([DaifaRawPrint]::Send($env:DAIFA_RAW_QUEUE, $env:DAIFA_RAW_TITLE, $bytes))
`;

/** Returns the spooler's job id. */
export async function sendToWindowsSpooler(
  queue: string,
  bytes: Uint8Array,
  options: { title: string; timeoutMs: number },
): Promise<string> {
  const file = join(tmpdir(), `daifa-raw-${randomUUID()}.bin`);
  await writeFile(file, bytes);
  try {
    const result = await execTool('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', SCRIPT], {
      timeoutMs: options.timeoutMs,
      env: { DAIFA_RAW_FILE: file, DAIFA_RAW_QUEUE: queue, DAIFA_RAW_TITLE: options.title },
    }).catch((err: unknown) => {
      throw toPrinterError(err, queue, { ENOENT: 'unsupported', ETIMEDOUT: 'timeout' });
    });
    const line = result.stdout.trim().split(/\r?\n/).pop() ?? '';
    const ok = /^OK (\d+)$/.exec(line);
    if (ok?.[1]) return ok[1];
    // 1801 ERROR_INVALID_PRINTER_NAME; 5 ERROR_ACCESS_DENIED.
    if (/^ERR_OPEN 1801/.test(line)) throw new PrinterError('no_such_queue', { target: queue, detail: line });
    if (/^ERR_\w+ 5\b/.test(line)) throw new PrinterError('permission_denied', { target: queue, detail: line });
    throw new PrinterError('spooler_failed', { target: queue, detail: line || result.stderr.trim() });
  } finally {
    await rm(file, { force: true });
  }
}
