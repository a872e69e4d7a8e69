/** The factory's orders (M4): only those allocated to it, the recipient masked, with print and return state. */
import { useState } from 'react';
import { ENDPOINTS } from '../../../shared/api/endpoints.ts';
import type { FactoryOrderSnapshot } from '../../../shared/api/orders.ts';
import { blockReasonText } from '../../../shared/domain/reasons.ts';
import { send } from '../../api/hub.ts';
import { useT } from '../../i18n/index.ts';
import { chinaTime, ErrorBanner, Page, Pager, useLoad } from '../../app/ui.tsx';

export function FactoryOrdersPage() {
  const { t, lang } = useT();
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const orders = useLoad(
    () => send(ENDPOINTS.factoryOrders, { query: { limit: 200, ...(cursor ? { cursor } : {}) } }),
    [cursor],
  );
  const printState = (o: FactoryOrderSnapshot) => {
    const w = o.waybill;
    if (w?.status === 'returned') return t('waybillReturnedState');
    const state = w ? t('waybillIssuedState') : t('notIssued');
    const guard = o.printable ? t('printable') : `${t('blocked')}：${o.reason ? blockReasonText(o.reason, lang) : ''}`;
    return `${state} · ${guard}`;
  };
  return (
    <Page title={t('factoryOrdersTitle')}>
      <ErrorBanner error={orders.error} />
      <table>
        <thead>
          <tr>
            <th>{t('orderSn')}</th>
            <th>{t('merchant')}</th>
            <th>{t('goods')}</th>
            <th>{t('recipient')}</th>
            <th>{t('printState')}</th>
            <th>{t('waybillNo')}</th>
            <th>{t('returnedAt')}</th>
          </tr>
        </thead>
        <tbody>
          {(orders.data?.orders ?? []).map((o) => (
            <tr key={o.orderSn} aria-label={o.orderSn}>
              <td>{o.orderSn}</td>
              <td>{o.merchantDisplayName}</td>
              <td>{o.items.map((i) => `${i.goodsName} ${i.spec} ×${i.quantity}`).join('；')}</td>
              <td>
                {o.recipient.name} {o.recipient.phone} {o.recipient.province}
                {o.recipient.city}
                {o.recipient.district} {o.recipient.detail}
              </td>
              <td>{printState(o)}</td>
              <td>{o.waybill?.waybillNo ?? ''}</td>
              <td>{chinaTime(o.waybill?.returnedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager cursors={cursors} next={orders.data?.nextCursor} onChange={setCursors} />
    </Page>
  );
}
