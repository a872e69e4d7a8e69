/** 发货 / 批量发货 (M6): only orders whose number was returned can be chosen; a 退货地址 is required. */
import { useState } from 'react';
import { ENDPOINTS } from '../../../shared/api/endpoints.ts';
import { SHIPMENT_REFUSALS } from '../../../shared/api/shipping.ts';
import { MAX_BATCH } from '../../../shared/api/common.ts';
import { send } from '../../api/hub.ts';
import { useT } from '../../i18n/index.ts';
import { chinaTime, ErrorBanner, Page, ResultList, useBatchAction, useLoad } from '../../app/ui.tsx';

export function ShipPage() {
  const { t } = useT();
  const orders = useLoad(
    () => send(ENDPOINTS.merchantOrders, { query: { stage: 'waybill_returned', order: 'desc', limit: MAX_BATCH } }),
    [],
  );
  const addresses = useLoad(() => send(ENDPOINTS.listReturnAddresses, {}), []);
  const list = addresses.data?.returnAddresses ?? [];
  const [addressId, setAddressId] = useState<string>('');
  const chosen = addressId || String(list.find((a) => a.isDefault)?.id ?? '');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const batch = useBatchAction(() => {
    setSelected(new Set());
    orders.reload();
  });
  const busy = batch.busy;
  const sns = (orders.data?.orders ?? []).map((o) => o.sn);

  const ship = async (orderSns: string[]) => {
    if (!chosen) {
      batch.setError({ status: null, code: 'RETURN_ADDRESS_REQUIRED', message: t('noReturnAddress'), body: null });
      return;
    }
    await batch.run(
      () => send(ENDPOINTS.ship, { body: { orderSns, returnAddressId: Number(chosen) } }),
      (data) =>
        data.results.map((x) => ({
          orderSn: x.orderSn,
          ok: x.status === 'shipped',
          text:
            x.status === 'shipped'
              ? `${t('shipped')} ${x.courier} ${x.waybillNo}${x.warning ? `（${x.warning.message}）` : ''}`
              : `${t('refused')}：${SHIPMENT_REFUSALS[x.reason]}`,
        })),
    );
  };

  return (
    <Page title={t('shipTitle')}>
      <p>{t('shipHint')}</p>
      <div className="actions" role="toolbar" aria-label={t('actions')}>
        <label>
          {t('returnAddress')}
          <select value={chosen} onChange={(e) => setAddressId(e.target.value)}>
            <option value="">{t('noReturnAddress')}</option>
            {list.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} {a.phone} {a.address}
                {a.isDefault ? `（${t('defaultMark')}）` : ''}
              </option>
            ))}
          </select>
        </label>
        <span aria-live="polite">{t('selected', { n: selected.size })}</span>
        <button type="button" disabled={busy || selected.size === 0} onClick={() => void ship([...selected])}>
          {t('batchShip')}
        </button>
      </div>
      <ErrorBanner error={batch.error ?? orders.error ?? addresses.error} />
      <ResultList results={batch.results} />
      <table>
        <thead>
          <tr>
            <th>
              <input
                type="checkbox"
                aria-label={t('selectAll')}
                checked={sns.length > 0 && sns.every((s) => selected.has(s))}
                onChange={(e) => setSelected(e.target.checked ? new Set(sns) : new Set())}
              />
            </th>
            <th>{t('orderSn')}</th>
            <th>{t('goods')}</th>
            <th>{t('courier')}</th>
            <th>{t('waybillNo')}</th>
            <th>{t('returnedAt')}</th>
            <th>{t('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(orders.data?.orders ?? []).map((o) => (
            <tr key={o.sn} aria-label={o.sn}>
              <td>
                <input
                  type="checkbox"
                  aria-label={o.sn}
                  checked={selected.has(o.sn)}
                  onChange={(e) => {
                    const next = new Set(selected);
                    if (e.target.checked) next.add(o.sn);
                    else next.delete(o.sn);
                    setSelected(next);
                  }}
                />
              </td>
              <td>{o.sn}</td>
              <td>{o.items.map((i) => `${i.goodsName} ${i.spec} ×${i.quantity}`).join('；')}</td>
              <td>{o.waybill?.courier}</td>
              <td>{o.waybill?.waybillNo}</td>
              <td>{chinaTime(o.waybill?.returnedAt)}</td>
              <td>
                <button type="button" disabled={busy} onClick={() => void ship([o.sn])}>
                  {t('ship')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {orders.data && orders.data.orders.length === 0 ? <p>{t('noOrders')}</p> : null}
    </Page>
  );
}
