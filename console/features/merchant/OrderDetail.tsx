/** An order's details: its history, waybill, reprints and takeovers (M9). */
import { ENDPOINTS } from '../../../shared/api/endpoints.ts';
import { send } from '../../api/hub.ts';
import { useT } from '../../i18n/index.ts';
import { EVENT_WORDS } from '../../i18n/words.ts';
import { chinaTime, ErrorBanner, useLoad } from '../../app/ui.tsx';

export function OrderDetail({
  sn,
  factoryName,
  onClose,
}: {
  sn: string;
  factoryName: (id: number) => string;
  onClose: () => void;
}) {
  const { t, lang } = useT();
  const detail = useLoad(() => send(ENDPOINTS.merchantOrder, { params: { sn } }), [sn]);
  const word = (key: string | null) => (key ? (EVENT_WORDS[key]?.[lang === 'zh' ? 0 : 1] ?? key) : '');
  const d = detail.data;
  return (
    <section className="detail" aria-label={t('orderDetail')}>
      <header>
        <h3>
          {t('orderDetail')} {sn}
        </h3>
        <button type="button" onClick={onClose}>
          {t('close')}
        </button>
      </header>
      <ErrorBanner error={detail.error} />
      {d ? (
        <>
          <p>
            {t('recipient')}：{d.order.recipient.name} {d.order.recipient.phone} {d.order.recipient.province}
            {d.order.recipient.city}
            {d.order.recipient.district}
            {d.order.recipient.detail}
          </p>
          <h4>{t('waybill')}</h4>
          {d.order.waybill ? (
            <dl className="kv">
              <dt>{t('waybillNo')}</dt>
              <dd>{d.order.waybill.waybillNo}</dd>
              <dt>{t('courier')}</dt>
              <dd>{d.order.waybill.courier}</dd>
              <dt>{t('issuedAt')}</dt>
              <dd>{chinaTime(d.order.waybill.issuedAt)}</dd>
              <dt>{t('returnedAt')}</dt>
              <dd>{chinaTime(d.order.waybill.returnedAt)}</dd>
            </dl>
          ) : (
            <p>{t('none')}</p>
          )}
          <h4>{t('history')}</h4>
          <ol className="history">
            {d.events.map((e, i) => (
              <li key={i}>
                {chinaTime(e.at)} {word(e.type)}
                {e.factoryShopId !== null ? ` · ${factoryName(e.factoryShopId)}` : ''}
                {e.reason ? `（${word(e.reason)}）` : ''}
              </li>
            ))}
          </ol>
          <h4>{t('reprints')}</h4>
          {d.reprints.length === 0 ? (
            <p>{t('none')}</p>
          ) : (
            <ul>
              {d.reprints.map((r, i) => (
                <li key={i}>
                  {chinaTime(r.printedAt)} {r.stationName} {r.waybillNo}（{t('reason')}：{r.reason}）
                </li>
              ))}
            </ul>
          )}
          <h4>{t('takeovers')}</h4>
          {d.takeovers.length === 0 ? (
            <p>{t('none')}</p>
          ) : (
            <ul>
              {d.takeovers.map((x, i) => (
                <li key={i}>
                  {chinaTime(x.at)} {x.fromStationName} → {x.toStationName} {x.oldWaybillNo} → {x.newWaybillNo}（
                  {t('reason')}：{x.reason}）
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </section>
  );
}
