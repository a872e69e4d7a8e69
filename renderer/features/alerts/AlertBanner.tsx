import { useLiveQuery } from 'dexie-react-hooks';
import { useUi } from '../../app/store.ts';
import { useStation } from '../../app/runtime-context.tsx';
import { t } from '../../i18n/index.ts';

/** Interception alerts cannot be missed: a banner on every page until each is acknowledged. */
export function AlertBanner() {
  const { lang, go } = useUi();
  const { runtime } = useStation();
  const open = useLiveQuery(() => runtime.db.alerts.where('acked').equals(0).toArray(), [runtime], []);
  if (open.length === 0) return null;
  return (
    <div role="alert" className="banner banner-alert">
      <b>{t('interceptAlert', lang)}</b> — {open.length} {t('alertsPending', lang)}:{' '}
      {open
        .slice(0, 3)
        .map((a) => `${a.orderSn} (${a.waybillNo})`)
        .join('、')}
      {open.length > 3 ? '…' : ''}{' '}
      <button type="button" onClick={() => go('alerts')}>
        {t('alerts', lang)}
      </button>
    </div>
  );
}
