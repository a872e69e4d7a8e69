import { useLiveQuery } from 'dexie-react-hooks';
import { useUi } from '../../app/store.ts';
import { useStation } from '../../app/runtime-context.tsx';
import { t } from '../../i18n/index.ts';
import type { StationDb } from '../../data/db.ts';
import { chinaDayStart } from '../../../shared/domain/index.ts';

/** Today's figures (the China day): printed, returned, blocked and failed, with printing by hour. */
export async function todayStats(db: StationDb, now = Date.now()) {
  const dayStart = chinaDayStart(new Date(now)).getTime();
  const since = new Date(dayStart).toISOString();
  const logs = await db.printLog.where('at').aboveOrEqual(since).toArray();
  const items = await db.jobItems
    .filter((i) => i.updatedAt >= since && (i.state === 'blocked' || i.state === 'failed'))
    .toArray();
  const byHour = Array.from({ length: 24 }, () => 0);
  for (const l of logs) byHour[Math.floor((Date.parse(l.at) - dayStart) / 3_600_000)]!++;
  return {
    printed: logs.filter((l) => l.kind !== 'reprint').length,
    returned: logs.filter((l) => l.returnState === 'returned').length,
    blocked: items.filter((i) => i.state === 'blocked').length,
    failed: items.filter((i) => i.state === 'failed').length,
    byHour,
  };
}

export function TodayPage() {
  const lang = useUi((s) => s.lang);
  const { runtime } = useStation();
  const s = useLiveQuery(() => todayStats(runtime.db), [runtime]);
  if (!s) return null;
  const max = Math.max(1, ...s.byHour);
  return (
    <section aria-label={t('today', lang)} className="today">
      <dl className="figures">
        <div>
          <dt>{t('printedToday', lang)}</dt>
          <dd>{s.printed}</dd>
        </div>
        <div>
          <dt>{t('returnedToday', lang)}</dt>
          <dd>{s.returned}</dd>
        </div>
        <div>
          <dt>{t('blockedToday', lang)}</dt>
          <dd>{s.blocked}</dd>
        </div>
        <div>
          <dt>{t('failedToday', lang)}</dt>
          <dd>{s.failed}</dd>
        </div>
      </dl>
      <h3>{t('byHour', lang)}</h3>
      <div className="hours" role="img" aria-label={s.byHour.map((n, h) => `${h}:00 ${n}`).join(', ')}>
        {s.byHour.map((n, h) => (
          <div key={h} className="hour">
            <div className="bar" style={{ height: `${(n / max) * 100}%` }} title={`${h}:00 — ${n}`} />
            <span>{h}</span>
          </div>
        ))}
      </div>
    </section>
  );
}
