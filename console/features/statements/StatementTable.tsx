/** The statement list both sides see (M8): status, figures, and the CSV / XLSX downloads once ready. */
import type { Statement } from '../../../shared/api/statements.ts';
import { fenToYuan } from '../../../shared/domain/money.ts';
import { useT } from '../../i18n/index.ts';
import { chinaTime } from '../../app/ui.tsx';

export function StatementTable({
  statements,
  partyHeader,
  partyOf,
  downloadPath,
}: {
  statements: Statement[];
  partyHeader: string;
  partyOf: (s: Statement) => string;
  /** e.g. `/v1/merchant/statements/${id}/download` */
  downloadPath: (id: number) => string;
}) {
  const { t } = useT();
  const statusText = (s: Statement) =>
    s.status === 'ready' ? t('statementReady') : s.status === 'pending' ? t('statementPending') : t('statementFailed');
  return (
    <table className="statements">
      <thead>
        <tr>
          <th>#</th>
          <th>{partyHeader}</th>
          <th>{t('range')}</th>
          <th>{t('status')}</th>
          <th>{t('orderCount')}</th>
          <th>{t('amount')}</th>
          <th>{t('missingPriceRows')}</th>
          <th>{t('download')}</th>
        </tr>
      </thead>
      <tbody>
        {statements.map((s) => (
          <tr key={s.id} aria-label={`#${s.id}`}>
            <td>{s.id}</td>
            <td>{partyOf(s)}</td>
            <td>
              {chinaTime(s.from)} – {chinaTime(s.to)}
            </td>
            <td>{statusText(s)}</td>
            <td>{s.orderCount ?? ''}</td>
            <td>{s.totalFen === null ? '' : fenToYuan(s.totalFen)}</td>
            <td>{s.missingPriceRows ?? ''}</td>
            <td>
              {s.status === 'ready' ? (
                <>
                  <a href={`${downloadPath(s.id)}?format=csv`} download>
                    {t('download')} CSV
                  </a>{' '}
                  <a href={`${downloadPath(s.id)}?format=xlsx`} download>
                    {t('download')} XLSX
                  </a>
                </>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
