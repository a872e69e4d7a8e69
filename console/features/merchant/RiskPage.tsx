/** 风险 (M9): late returns, intercepts after printing, reprints and takeovers, with time and station. */
import { useState } from 'react';
import { RISK_ENDPOINTS } from '../../../shared/api/risk.ts';
import { send } from '../../api/hub.ts';
import { useT } from '../../i18n/index.ts';
import { EVENT_WORDS } from '../../i18n/words.ts';
import { chinaTime, ErrorBanner, Page, useLoad } from '../../app/ui.tsx';

export function RiskPage() {
  const { t, lang } = useT();
  const [lateHours, setLateHours] = useState<number | undefined>(undefined);
  const risk = useLoad(() => send(RISK_ENDPOINTS.merchantRisk, { query: lateHours ? { lateHours } : {} }), [lateHours]);
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
      <section aria-label={t('lateReturns')}>
        <h3>
          {t('lateReturns')}（{r?.lateReturns.length ?? 0}）
        </h3>
        <table>
          <thead>
            <tr>
              <th>{t('orderSn')}</th>
              <th>{t('factory')}</th>
              <th>{t('allocatedAt')}</th>
              <th>{t('returnedAt')}</th>
              <th>{t('hours')}</th>
              <th>{t('station')}</th>
            </tr>
          </thead>
          <tbody>
            {(r?.lateReturns ?? []).map((x) => (
              <tr key={`${x.orderSn}-${x.factoryShopId}`}>
                <td>{x.orderSn}</td>
                <td>{x.factoryName}</td>
                <td>{chinaTime(x.allocatedAt)}</td>
                <td>{x.returnedAt ? chinaTime(x.returnedAt) : t('notReturnedYet')}</td>
                <td>{x.hours}</td>
                <td>{x.stationName ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-label={t('intercepts')}>
        <h3>
          {t('intercepts')}（{r?.interceptedAfterPrinting.length ?? 0}）
        </h3>
        <table>
          <thead>
            <tr>
              <th>{t('orderSn')}</th>
              <th>{t('factory')}</th>
              <th>{t('waybillNo')}</th>
              <th>{t('event')}</th>
              <th>{t('time')}</th>
              <th>{t('station')}</th>
            </tr>
          </thead>
          <tbody>
            {(r?.interceptedAfterPrinting ?? []).map((x) => (
              <tr key={`${x.orderSn}-${x.waybillNo}-${x.at}`}>
                <td>{x.orderSn}</td>
                <td>{x.factoryName}</td>
                <td>{x.waybillNo}</td>
                <td>{word(x.event)}</td>
                <td>{chinaTime(x.at)}</td>
                <td>{x.stationName ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-label={t('reprints')}>
        <h3>
          {t('reprints')}（{r?.reprints.length ?? 0}）
        </h3>
        <table>
          <thead>
            <tr>
              <th>{t('orderSn')}</th>
              <th>{t('factory')}</th>
              <th>{t('waybillNo')}</th>
              <th>{t('reason')}</th>
              <th>{t('time')}</th>
              <th>{t('station')}</th>
            </tr>
          </thead>
          <tbody>
            {(r?.reprints ?? []).map((x, i) => (
              <tr key={i}>
                <td>{x.orderSn}</td>
                <td>{x.factoryName}</td>
                <td>{x.waybillNo}</td>
                <td>{x.reason}</td>
                <td>{chinaTime(x.at)}</td>
                <td>{x.stationName ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-label={t('takeovers')}>
        <h3>
          {t('takeovers')}（{r?.takeovers.length ?? 0}）
        </h3>
        <table>
          <thead>
            <tr>
              <th>{t('orderSn')}</th>
              <th>{t('factory')}</th>
              <th>{t('fromStation')}</th>
              <th>{t('station')}</th>
              <th>{t('reason')}</th>
              <th>{t('time')}</th>
            </tr>
          </thead>
          <tbody>
            {(r?.takeovers ?? []).map((x, i) => (
              <tr key={i}>
                <td>{x.orderSn}</td>
                <td>{x.factoryName}</td>
                <td>{x.fromStationName ?? ''}</td>
                <td>{x.stationName ?? ''}</td>
                <td>{x.reason}</td>
                <td>{chinaTime(x.at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Page>
  );
}
