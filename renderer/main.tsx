/**
 * The station UI's entry: connect to main (the Electron preload, or browser mode's WebSocket), open the
 * station runtime (Dexie, engines), then show the UI. A connection the station service refuses (it
 * restarted with a new secret) says so, instead of a blank page.
 */
import { StrictMode, useCallback, useState } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css';
import { hostBridge } from './ipc/bridge.ts';
import { createStationRuntime, type StationRuntime } from './engines/runtime.ts';
import { App } from './app/App.tsx';
import { StationProvider } from './app/runtime-context.tsx';
import { t } from './i18n/index.ts';
import type { StationInfo } from '../shared/ipc/index.ts';

function Root({ runtime, initial }: { runtime: StationRuntime; initial: StationInfo }) {
  const [info, setInfo] = useState(initial);
  const onPaired = useCallback(async () => setInfo(await runtime.refresh()), [runtime]);
  return (
    <StationProvider runtime={runtime}>
      <App info={info} onPaired={onPaired} />
    </StationProvider>
  );
}

function Fatal({ message }: { message: string }) {
  return (
    <div className="fatal" role="alert">
      <h1>{t('appTitle', 'zh')}</h1>
      <p>{message}</p>
    </div>
  );
}

const el = document.getElementById('root');
if (!el) throw new Error('renderer: #root is missing from index.html');
const root = createRoot(el);

try {
  const bridge = hostBridge();
  bridge.onConnection?.((connected) => {
    if (!connected) document.body.classList.add('disconnected');
    else document.body.classList.remove('disconnected');
  });
  await bridge.ready();
  const runtime = await createStationRuntime(bridge);
  const info = await runtime.refresh();
  root.render(
    <StrictMode>
      <Root runtime={runtime} initial={info} />
    </StrictMode>,
  );
} catch (e) {
  const unauthorized = (e as { code?: string }).code === 'unauthorized';
  root.render(
    <Fatal
      message={unauthorized ? `${t('connectionLost', 'zh')} / ${t('connectionLost', 'en')}` : (e as Error).message}
    />,
  );
}
