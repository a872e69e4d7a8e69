import { useLiveQuery } from 'dexie-react-hooks';
import { useUi } from '../../app/store.ts';
import { useStation } from '../../app/runtime-context.tsx';
import { chinaTime, t } from '../../i18n/index.ts';
import { acknowledgeAlert } from './alerts-repo.ts';

/** 拦截提醒: each says "pull this parcel" with the order, the number and the reason, until acknowledged. */
export function AlertsPage() {
  const lang = useUi((s) => s.lang);
  const { runtime } = useStation();
  const alerts = useLiveQuery(
    () => runtime.db.alerts.orderBy('createdAt').reverse().limit(500).toArray(),
    [runtime],
    [],
  );
  const open = alerts.filter((a) => a.acked === 0);
  return (
    <section aria-label={t('alerts', lang)}>
      {open.length === 0 ? <p className="empty">{t('noAlerts', lang)}</p> : null}
      <ul className="alerts">
        {alerts.map((a) => (
          <li key={a.id} className={a.acked ? 'acked' : 'open'}>
            <b>{t('interceptAlert', lang)}</b> · {t('orderSn', lang)} <b>{a.orderSn}</b> · {t('waybillNo', lang)}{' '}
            <b>{a.waybillNo}</b> · {a.message} · {chinaTime(a.createdAt)}
            {a.acked ? (
              <span> · ✔ {chinaTime(a.ackedAt)}</span>
            ) : (
              <button
                type="button"
                aria-label={`${t('acknowledge', lang)} ${a.orderSn}`}
                onClick={() => void acknowledgeAlert(runtime.db, a.id!, new Date().toISOString())}
              >
                {t('acknowledge', lang)}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
