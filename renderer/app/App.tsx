/**
 * The station's shell: header (station, factory, language), navigation, the banners that must not be
 * missed (offline, interception alerts, another window leading), the status bar, the in-doubt dialog
 * shown at start, and the page in view. Keyboard: Alt+1…8 switch pages (see shortcuts.ts).
 */
import { useEffect } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { t } from '../i18n/index.ts';
import { PAGES, useUi, type Page } from './store.ts';
import { useHubStatus, useIsLeader, useStation } from './runtime-context.tsx';
import { StatusBar } from './StatusBar.tsx';
import { useShortcuts } from './shortcuts.ts';
import { OrdersPage } from '../features/orders/OrdersPage.tsx';
import { BatchesPage } from '../features/batch-print/BatchesPage.tsx';
import { BatchDialog } from '../features/batch-print/BatchDialog.tsx';
import { ScanPage } from '../features/scan/ScanPage.tsx';
import { PrintLogPage } from '../features/print-log/PrintLogPage.tsx';
import { ReprintDialog } from '../features/print-log/ReprintDialog.tsx';
import { AlertsPage } from '../features/alerts/AlertsPage.tsx';
import { AlertBanner } from '../features/alerts/AlertBanner.tsx';
import { PrintersPage } from '../features/printers/PrintersPage.tsx';
import { SettingsPage } from '../features/settings/SettingsPage.tsx';
import { TodayPage } from '../features/today/TodayPage.tsx';
import { InDoubtDialog } from '../features/in-doubt/InDoubtDialog.tsx';
import { PairPage } from '../features/pairing/PairPage.tsx';
import type { StationInfo } from '../../shared/ipc/index.ts';

const LABELS: Record<Page, Parameters<typeof t>[0]> = {
  orders: 'orders',
  batches: 'batches',
  scan: 'scan',
  printLog: 'printLog',
  alerts: 'alerts',
  printers: 'printers',
  today: 'today',
  settings: 'settings',
};

export function App({ info, onPaired }: { info: StationInfo; onPaired: () => Promise<void> }) {
  const { lang, page, go, setLang } = useUi();
  const { runtime } = useStation();
  const hub = useHubStatus();
  const leader = useIsLeader();
  const openAlerts = useLiveQuery(() => runtime.db.alerts.where('acked').equals(0).count(), [runtime], 0);
  useShortcuts();
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('appTitle', lang);
  }, [lang]);

  if (!info.paired) {
    return (
      <div className="app">
        <header className="app-header">
          <h1>{t('appTitle', lang)}</h1>
          <button type="button" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {t('switchLang', lang)}
          </button>
        </header>
        <PairPage onPaired={onPaired} />
      </div>
    );
  }

  return (
    <div className="app">
      <header className="app-header">
        <h1>{t('appTitle', lang)}</h1>
        <span className="station-id">
          {info.factoryName} · {info.stationName}
        </span>
        <button type="button" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
          {t('switchLang', lang)}
        </button>
      </header>
      <nav className="app-nav" aria-label={lang === 'zh' ? '页面' : 'Pages'}>
        {PAGES.map((p, i) => (
          <button
            key={p}
            type="button"
            aria-current={page === p ? 'page' : undefined}
            aria-keyshortcuts={`Alt+${i + 1}`}
            onClick={() => go(p)}
          >
            {t(LABELS[p], lang)}
            {p === 'alerts' && openAlerts > 0 ? <span className="badge">{openAlerts}</span> : null}
          </button>
        ))}
      </nav>
      {hub && !hub.online ? (
        <div role="status" className="banner banner-offline">
          {t('offlineBanner', lang)}
        </div>
      ) : null}
      {!leader ? (
        <div role="status" className="banner banner-follower">
          {t('followerBanner', lang)}
        </div>
      ) : null}
      <AlertBanner />
      <main className="app-main">
        {page === 'orders' && <OrdersPage />}
        {page === 'batches' && <BatchesPage />}
        {page === 'scan' && <ScanPage />}
        {page === 'printLog' && <PrintLogPage />}
        {page === 'alerts' && <AlertsPage />}
        {page === 'printers' && <PrintersPage />}
        {page === 'today' && <TodayPage />}
        {page === 'settings' && <SettingsPage info={info} />}
      </main>
      <StatusBar online={hub?.online ?? false} />
      <BatchDialog />
      <ReprintDialog />
      <InDoubtDialog />
    </div>
  );
}
