import { useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useUi } from '../../app/store.ts';
import { useStation } from '../../app/runtime-context.tsx';
import { chinaTime, t } from '../../i18n/index.ts';
import type { PrintLogRow } from '../../data/db.ts';

const KIND: Record<PrintLogRow['kind'], Parameters<typeof t>[0]> = {
  print: 'kindPrint',
  reprint: 'kindReprint',
  in_doubt_confirmed: 'kindInDoubt',
};
const RETURN: Record<PrintLogRow['returnState'], Parameters<typeof t>[0]> = {
  pending: 'returnPending',
  returned: 'returnReturned',
  rejected: 'returnRejected',
  none: 'returnNone',
};

/** 打印记录: every label this station printed, with its time, printer, station and result; reprint with a reason. */
export function PrintLogPage() {
  const { lang, openReprint } = useUi();
  const { runtime } = useStation();
  const [q, setQ] = useState('');
  const rows = useLiveQuery(
    async () => {
      const s = q.trim();
      if (s) {
        const [a, b] = await Promise.all([
          runtime.db.printLog.where('orderSn').equals(s).toArray(),
          runtime.db.printLog.where('waybillNo').equals(s).toArray(),
        ]);
        return [...a, ...b.filter((x) => !a.some((y) => y.id === x.id))].sort((x, y) => y.at.localeCompare(x.at));
      }
      return runtime.db.printLog.orderBy('at').reverse().limit(500).toArray();
    },
    [runtime, q],
    [] as PrintLogRow[],
  );
  return (
    <section aria-label={t('printLog', lang)}>
      <input
        type="search"
        aria-label={t('search', lang)}
        placeholder={t('search', lang)}
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      <table className="log-table" aria-label={t('printLog', lang)}>
        <thead>
          <tr>
            <th>{t('time', lang)}</th>
            <th>{t('orderSn', lang)}</th>
            <th>{t('waybillNo', lang)}</th>
            <th>{t('printer', lang)}</th>
            <th>{t('station', lang)}</th>
            <th>{t('result', lang)}</th>
            <th>{t('returnState', lang)}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{chinaTime(r.at)}</td>
              <td>{r.orderSn}</td>
              <td>{r.waybillNo}</td>
              <td>{r.printerName}</td>
              <td>{r.stationName}</td>
              <td>
                {t(KIND[r.kind], lang)}
                {r.reason ? `：${r.reason}` : ''}
                {r.unverified ? ` · ${t('unverified', lang)}` : ''}
              </td>
              <td title={r.returnMessage ?? ''}>
                {t(RETURN[r.returnState], lang)}
                {r.returnMessage ? `：${r.returnMessage}` : ''}
              </td>
              <td>
                <button
                  type="button"
                  aria-label={`${t('reprint', lang)} ${r.orderSn}`}
                  onClick={() => openReprint({ orderSn: r.orderSn })}
                >
                  {t('reprint', lang)}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
