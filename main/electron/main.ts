/**
 * The station as a desktop app (Electron): the same main services as browser mode, hosted over
 * `ipcMain`, one locked-down window showing the built renderer, and a single instance per user (two
 * would print the same queue). Secrets are kept with the OS keychain through `safeStorage`.
 */
import { app, BrowserWindow, ipcMain, safeStorage, session } from 'electron';
import path from 'node:path';
import { fileSecretStore, type SecretCodec } from '../station/secret-store.ts';
import { createStationServices } from '../station/services.ts';
import { registerStationIpc } from './ipc.ts';
import { rotatingLog } from './log-file.ts';
import { isOwnPage, lockDownSession, lockDownWindow, windowOptions } from './window.ts';

// Bundled to dist/main/index.cjs: dist/ holds the renderer, and the fonts are unpacked next to the asar.
const appDir = path.resolve(__dirname, '..');
const indexHtml = path.join(appDir, 'renderer', 'index.html');
process.env['DAIFA_FONT_DIR'] ??= path
  .resolve(appDir, '..', 'assets', 'fonts')
  .replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void start();
}

function keychainCodec(): SecretCodec {
  return {
    encode: (plain) =>
      safeStorage.isEncryptionAvailable() ? safeStorage.encryptString(plain) : Buffer.from(plain, 'utf8'),
    decode: (stored) =>
      safeStorage.isEncryptionAvailable() ? safeStorage.decryptString(stored) : stored.toString('utf8'),
  };
}

async function start() {
  await app.whenReady();
  // DAIFA_STATION_DATA lets a second copy (or a test) keep its own station data.
  const dataDir = process.env.DAIFA_STATION_DATA ?? app.getPath('userData');
  const log = rotatingLog(path.join(dataDir, 'station.log'));
  process.on('uncaughtException', (e) => log(`uncaught: ${e.stack ?? e.message}`));
  const services = await createStationServices({
    dataDir,
    host: 'electron',
    secrets: fileSecretStore(path.join(dataDir, 'secrets.bin'), keychainCodec()),
    log,
  });
  lockDownSession(session.defaultSession);
  registerStationIpc(ipcMain, services, {
    isTrustedFrame: (frame) => frame !== null && isOwnPage(frame.url, indexHtml),
  });

  const win = new BrowserWindow(windowOptions(path.join(appDir, 'main', 'preload.cjs')));
  lockDownWindow(win, indexHtml);
  win.once('ready-to-show', () => win.show());
  await win.loadFile(indexHtml);

  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', async () => {
    await services.close();
    app.quit();
  });
}
