/**
 * 结算价格 (M8): a price per merchant × SKU with its history; CSV export and an all-or-nothing CSV
 * import (a bad row is named by its line); a warning for SKUs in allocated orders without a price.
 */
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { ENDPOINTS } from '../../../shared/api/endpoints.ts';
import { type Price } from '../../../shared/api/prices.ts';
import { fenToYuan, yuanToFen } from '../../../shared/domain/money.ts';
import { formatPriceCsv } from '../../../shared/domain/price-csv.ts';
import { send, type CallError } from '../../api/hub.ts';
import { useT } from '../../i18n/index.ts';
import { chinaTime, ErrorBanner, Notice, Page, useLoad } from '../../app/ui.tsx';

export function PricesPage() {
  const { t } = useT();
  const prices = useLoad(() => send(ENDPOINTS.getPrices, { query: {} }), []);
  const missing = useLoad(() => send(ENDPOINTS.missingPrices, {}), []);
  const bindings = useLoad(() => send(ENDPOINTS.factoryBindings, {}), []);
  const merchants = (bindings.data?.bindings ?? []).filter((b) => b.status === 'accepted');
  const nameOf = (id: number) => merchants.find((m) => m.merchantShopId === id)?.merchantDisplayName ?? String(id);
  const [error, setError] = useState<CallError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [historyOf, setHistoryOf] = useState<{ merchantShopId: number; skuId: string } | null>(null);
  const history = useLoad(
    async () =>
      historyOf
        ? send(ENDPOINTS.getPrices, { query: { merchantShopId: historyOf.merchantShopId, history: '1' } })
        : { data: { prices: [] as Price[] }, error: null },
    [historyOf?.merchantShopId, historyOf?.skuId],
  );
  const refresh = () => {
    prices.reload();
    missing.reload();
    if (historyOf) history.reload();
  };

  const setPrice = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const priceFen = yuanToFen(String(f.get('price') ?? ''));
    if (priceFen === null) {
      setError({ status: null, code: 'VALIDATION_ERROR', message: t('price'), body: null });
      return;
    }
    const r = await send(ENDPOINTS.putPrices, {
      body: [{ merchantShopId: Number(f.get('merchantShopId')), skuId: String(f.get('skuId')).trim(), priceFen }],
    });
    setError(r.error);
    setNotice(null);
    if (!r.error) {
      form.reset();
      refresh();
    }
  };

  const exportCsv = () => {
    const csv = formatPriceCsv(prices.data?.prices ?? []);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    a.download = 'settlement-prices.csv';
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };

  const importCsv = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    const r = await send(ENDPOINTS.importPrices, { body: { csv: await file.text() } });
    setError(r.error);
    setNotice(r.data ? t('imported', { n: r.data.prices.length }) : null);
    if (r.data) refresh();
  };

  return (
    <Page title={t('pricesTitle')}>
      {missing.data && missing.data.missing.length > 0 ? (
        <div className="warning" role="note" aria-label={t('missingPrices')}>
          <p>{t('missingPrices')}</p>
          <ul>
            {missing.data.missing.map((m) => (
              <li key={`${m.merchantShopId}-${m.skuId}`}>
                {m.merchantDisplayName} · {m.skuId} · {m.goodsName} {m.spec} · {t('ordersWithSku')} {m.orderCount}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <form className="form inline" onSubmit={(e) => void setPrice(e)} aria-label={t('setPrice')}>
        <label>
          {t('merchant')}
          <select name="merchantShopId" required defaultValue="">
            <option value="" disabled>
              {t('chooseMerchant')}
            </option>
            {merchants.map((m) => (
              <option key={m.merchantShopId} value={m.merchantShopId}>
                {m.merchantDisplayName}（{m.merchantShopId}）
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('skuId')}
          <input name="skuId" required maxLength={64} />
        </label>
        <label>
          {t('price')}
          <input name="price" required inputMode="decimal" pattern="\d{1,9}(\.\d{1,2})?" />
        </label>
        <button type="submit">{t('setPrice')}</button>
      </form>
      <div className="actions">
        <button type="button" onClick={exportCsv}>
          {t('exportCsv')}
        </button>
        <label className="file">
          {t('importCsv')}
          <input type="file" accept=".csv,text/csv" onChange={(e) => void importCsv(e)} />
        </label>
      </div>
      <ErrorBanner error={error ?? prices.error} />
      {notice ? <Notice>{notice}</Notice> : null}
      <table>
        <thead>
          <tr>
            <th>{t('merchant')}</th>
            <th>{t('skuId')}</th>
            <th>{t('price')}</th>
            <th>{t('validFrom')}</th>
            <th>{t('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(prices.data?.prices ?? []).map((p) => (
            <tr key={`${p.merchantShopId}-${p.skuId}`} aria-label={`${p.merchantShopId} ${p.skuId}`}>
              <td>{nameOf(p.merchantShopId)}</td>
              <td>{p.skuId}</td>
              <td>{fenToYuan(p.priceFen)}</td>
              <td>{chinaTime(p.validFrom)}</td>
              <td>
                <button
                  type="button"
                  onClick={() => setHistoryOf({ merchantShopId: p.merchantShopId, skuId: p.skuId })}
                >
                  {t('priceHistory')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {historyOf ? (
        <section className="detail" aria-label={t('priceHistory')}>
          <header>
            <h3>
              {t('priceHistory')} · {nameOf(historyOf.merchantShopId)} · {historyOf.skuId}
            </h3>
            <button type="button" onClick={() => setHistoryOf(null)}>
              {t('close')}
            </button>
          </header>
          <ul>
            {(history.data?.prices ?? [])
              .filter((p) => p.skuId === historyOf.skuId)
              .map((p, i) => (
                <li key={i}>
                  {chinaTime(p.validFrom)} · {fenToYuan(p.priceFen)}
                </li>
              ))}
          </ul>
        </section>
      ) : null}
    </Page>
  );
}
