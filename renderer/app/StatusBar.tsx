import { useEffect, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { chinaTime, t } from '../i18n/index.ts';
import { useUi } from './store.ts';
import { useStation } from './runtime-context.tsx';
import { META } from '../data/db.ts';

/** Online or not, the last sync, returns still to send and prints made offline that the hub has not checked yet. */
export function StatusBar({ online }: { online: boolean }) {
  const lang = useUi((s) => s.lang);
  const { runtime } = useStation();
  const lastSync = useLiveQuery(
    async () => (await runtime.db.meta.get(META.lastSyncAt))?.value as string | undefined,
    [runtime],
  );
  const pending = useLiveQuery(() => runtime.db.outbox.count(), [runtime], 0);
  const unverified = useLiveQuery(
    () =>
      runtime.db.printLog
        .where('returnState')
        .equals('pending')
        .filter((l) => l.unverified)
        .count(),
    [runtime],
    0,
  );
  const [, tick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(id);
  }, []);
  return (
    <footer className="status-bar" aria-label={lang === 'zh' ? '状态栏' : 'Status bar'}>
      <span className={online ? 'dot dot-on' : 'dot dot-off'} aria-hidden="true" />
      <span data-testid="hub-state">{online ? t('online', lang) : t('offline', lang)}</span>
      <span>
        {t('lastSync', lang)}: {lastSync ? chinaTime(lastSync) : t('never', lang)}
      </span>
      <span>
        {t('pendingReturns', lang)}: <b>{pending}</b>
      </span>
      <span>
        {t('unverifiedPrints', lang)}: <b>{unverified}</b>
      </span>
      <span className="shortcuts-hint">{t('shortcuts', lang)}</span>
    </footer>
  );
}
