import { spawn } from 'node:child_process';

/** Opens the station's page in the default browser; a machine without one just prints the address. */
export function openBrowser(url: string, log: (line: string) => void = console.error): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const argv = process.platform === 'win32' ? ['/c', 'start', '""', url] : [url];
  try {
    const child = spawn(cmd, argv, { stdio: 'ignore', detached: true });
    child.on('error', () => log('未能自动打开浏览器，请手动打开上面的地址 / open the address above by hand'));
    child.unref();
  } catch {
    log('未能自动打开浏览器，请手动打开上面的地址 / open the address above by hand');
  }
}
