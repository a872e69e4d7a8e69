/**
 * The station window, locked down (DESIGN.md §8): context isolation, the sandbox, no Node in the page,
 * a strict CSP on everything it loads, no remote content, no navigation away from our page and no new
 * windows, and no permission (camera, geolocation…) ever granted.
 */
import type { BrowserWindow as BrowserWindowT, BrowserWindowConstructorOptions, Session } from 'electron';
import { pathToFileURL } from 'node:url';
import { stationCsp } from '../host/csp.ts';

export const STATION_CSP = stationCsp();

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1366,
    height: 860,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Daifa 代发打单站',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  };
}

/** Whether a URL is our own page (the built renderer, loaded from files). */
export function isOwnPage(url: string, indexHtml: string): boolean {
  try {
    const u = new URL(url);
    return (
      u.protocol === 'file:' && decodeURIComponent(u.pathname) === decodeURIComponent(pathToFileURL(indexHtml).pathname)
    );
  } catch {
    return false;
  }
}

export function lockDownSession(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [STATION_CSP] } });
  });
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  // No remote content: the page is files and the contract, nothing from the network.
  session.webRequest.onBeforeRequest((details, callback) => {
    const ok =
      details.url.startsWith('file:') ||
      details.url.startsWith('devtools:') ||
      details.url.startsWith('blob:') ||
      details.url.startsWith('data:');
    callback({ cancel: !ok });
  });
}

export function lockDownWindow(win: BrowserWindowT, indexHtml: string): void {
  win.webContents.on('will-navigate', (event, url) => {
    if (!isOwnPage(url, indexHtml)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
}
