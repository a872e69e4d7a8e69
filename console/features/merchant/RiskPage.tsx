/** 风险 (M9): late returns, intercepts after printing, reprints and takeovers, with time and station. */
import { useState } from 'react';
import { ENDPOINTS } from '../../../shared/api/endpoints.ts';
import { send } from '../../api/hub.ts';
import { useT } from '../../i18n/index.ts';
import { EVENT_WORDS } from '../../i18n/words.ts';
import { chinaTime, DataTable, ErrorBanner, Page, useLoad, type Column } from '../../app/ui.tsx';

export function RiskPage() {
  const { t, lang } = useT();
  const [lateHours, setLateHours] = useState<number | undefined>(undefined);
  const risk = useLoad(() => send(ENDPOINTS.merchantRisk, { query: lateHours ? { lateHours } : {} }), [lateHours]);
  const r = risk.data;
  const word = (k: string) => EVENT_WORDS[k]?.[lang === 'zh' ? 0 : 1] ?? k;
  return (
    <Page title={t('riskTitle')}>
      <p>{t('riskIntro')}</p>
      <form
        className="form inline"
        aria-label={t('lateHours')}
        onSubmit={(e) => {
          e.preventDefault();
          const v = Number(new FormData(e.currentTarget).get('lateHours'));
          setLateHours(Number.isInteger(v) && v >= 1 ? v : undefined);
        }}
      >
        <label>
          {t('lateHours')}
          <input
            name="lateHours"
            type="number"
            min={1}
            max={720}
            key={r?.lateHours}
            defaultValue={r?.lateHours ?? ''}
          />
        </label>
        <button type="submit">{t('query')}</button>
      </form>
      <ErrorBanner error={risk.error} />
      <RiskSection
        title={t('lateReturns')}
        rows={r?.lateReturns ?? []}
        rowKey={(x) => `${x.orderSn}-${x.factoryShopId}`}
        columns={[
          { header: t('orderSn'), cell: (x) => x.orderSn },
          { header: t('factory'), cell: (x) => x.factoryName },
          { header: t('allocatedAt'), cell: (x) => chinaTime(x.allocatedAt) },
          { header: t('returnedAt'), cell: (x) => (x.returnedAt ? chinaTime(x.returnedAt) : t('notReturnedYet')) },
          { header: t('hours'), cell: (x) => x.hours },
          { header: t('station'), cell: (x) => x.stationName ?? '' },
        ]}
      />
      <RiskSection
        title={t('intercepts')}
        rows={r?.interceptedAfterPrinting ?? []}
        rowKey={(x) => `${x.orderSn}-${x.waybillNo}-${x.at}-${x.event}`}
        columns={[
          { header: t('orderSn'), cell: (x) => x.orderSn },
          { header: t('factory'), cell: (x) => x.factoryName },
          { header: t('waybillNo'), cell: (x) => x.waybillNo },
          { header: t('event'), cell: (x) => word(x.event) },
          { header: t('time'), cell: (x) => chinaTime(x.at) },
          { header: t('station'), cell: (x) => x.stationName ?? '' },
        ]}
      />
      <RiskSection
        title={t('reprints')}
        rows={r?.reprints ?? []}
        rowKey={(x, i) => `${x.orderSn}-${i}`}
        columns={[
          { header: t('orderSn'), cell: (x) => x.orderSn },
          { header: t('factory'), cell: (x) => x.factoryName },
          { header: t('waybillNo'), cell: (x) => x.waybillNo },
          { header: t('reason'), cell: (x) => x.reason },
          { header: t('time'), cell: (x) => chinaTime(x.at) },
          { header: t('station'), cell: (x) => x.stationName ?? '' },
        ]}
      />
      <RiskSection
        title={t('takeovers')}
        rows={r?.takeovers ?? []}
        rowKey={(x, i) => `${x.orderSn}-${i}`}
        columns={[
          { header: t('orderSn'), cell: (x) => x.orderSn },
          { header: t('factory'), cell: (x) => x.factoryName },
          { header: t('waybillNo'), cell: (x) => `${x.oldWaybillNo} → ${x.newWaybillNo}` },
          { header: t('fromStation'), cell: (x) => x.fromStationName ?? '' },
          { header: t('station'), cell: (x) => x.stationName ?? '' },
          { header: t('reason'), cell: (x) => x.reason },
          { header: t('time'), cell: (x) => chinaTime(x.at) },
        ]}
      />
    </Page>
  );
}

function RiskSection<T>({
  title,
  rows,
  columns,
  rowKey,
}: {
  title: string;
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T, i: number) => string;
}) {
  return (
    <section aria-label={title}>
      <h3>
        {title}（{rows.length}）
      </h3>
      <DataTable rows={rows} columns={columns} rowKey={rowKey} />
    </section>
  );
}
