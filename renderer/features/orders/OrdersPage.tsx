/**
 * 订单: every order this station has synced, masked (M4), filtered and counted by status, merchant,
 * goods/SKU, courier and date, searched by order sn or tracking number; a virtualized list that stays
 * smooth at 50,000 orders; selection of the whole filtered set, the visible page, or shift-click ranges.
 */
import { useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useUi } from '../../app/store.ts';
import { CourierSelect } from '../../ui/CourierSelect.tsx';
import { useOrderEntries, useStation } from '../../app/runtime-context.tsx';
import { chinaTime, reasonText, t } from '../../i18n/index.ts';
import type { OrderView } from '../../data/db.ts';
import { countByView, filterOrders, type OrderEntry } from './order-index.ts';

const VIEWS: Array<OrderView | 'all'> = ['all', 'printable', 'blocked', 'printed', 'returned', 'shipped'];
const VIEW_WORD = {
  all: 'allStatuses',
  printable: 'viewPrintable',
  blocked: 'viewBlocked',
  printed: 'viewPrinted',
  returned: 'viewReturned',
  shipped: 'viewShipped',
} as const;
const ROW_HEIGHT = 38;

export function OrdersPage() {
  const {
    lang,
    filter,
    setFilter,
    resetFilter,
    selection,
    select,
    replaceSelection,
    clearSelection,
    anchor,
    openBatchDialog,
  } = useUi();
  const { runtime } = useStation();
  const { entries, loaded } = useOrderEntries();
  const rows = useMemo(() => filterOrders(entries, filter), [entries, filter]);
  const counts = useMemo(() => countByView(entries, filter), [entries, filter]);
  const merchants = useMemo(() => {
    const m = new Map<number, string>();
    for (const e of entries) m.set(e.merchantShopId, e.merchantName);
    return [...m].sort((a, b) => a[1].localeCompare(b[1], 'zh'));
  }, [entries]);
  const skus = useMemo(() => {
    const m = new Map<string, string>();
    for (const e of entries) for (const s of e.skuIds) if (!m.has(s)) m.set(s, e.goods.split('；')[0]!.split(' ')[0]!);
    return [...m].sort((a, b) => a[0].localeCompare(b[0]));
  }, [entries]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const [syncing, setSyncing] = useState(false);
  const selectedInView = useMemo(
    () => rows.reduce((n, r) => n + (selection.has(r.orderSn) ? 1 : 0), 0),
    [rows, selection],
  );

  const toggle = (e: MouseEvent<HTMLInputElement>, row: OrderEntry, index: number) => {
    const on = !selection.has(row.orderSn);
    if (e.shiftKey && anchor) {
      const from = rows.findIndex((r) => r.orderSn === anchor);
      if (from >= 0) {
        const [a, b] = from < index ? [from, index] : [index, from];
        select(
          rows.slice(a, b + 1).map((r) => r.orderSn),
          true,
          row.orderSn,
        );
        return;
      }
    }
    select([row.orderSn], on, row.orderSn);
  };

  const selectVisiblePage = () =>
    select(
      virtual.getVirtualItems().map((v) => rows[v.index]!.orderSn),
      true,
    );
  const onListKey = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      replaceSelection(rows.map((r) => r.orderSn));
    }
  };

  return (
    <section className="orders" aria-label={t('orders', lang)}>
      <div className="filters" role="search">
        <div role="radiogroup" aria-label={t('status', lang)} className="view-tabs">
          {VIEWS.map((v) => (
            <button
              key={v}
              type="button"
              role="radio"
              aria-checked={filter.view === v}
              onClick={() => setFilter({ view: v })}
            >
              {t(VIEW_WORD[v], lang)} <span className="count">{counts[v]}</span>
            </button>
          ))}
        </div>
        <label>
          {t('merchant', lang)}
          <select
            value={filter.merchantShopId ?? ''}
            onChange={(e) => setFilter({ merchantShopId: e.target.value ? Number(e.target.value) : null })}
          >
            <option value="">{t('allMerchants', lang)}</option>
            {merchants.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('sku', lang)}
          <select value={filter.skuId ?? ''} onChange={(e) => setFilter({ skuId: e.target.value || null })}>
            <option value="">{t('allSkus', lang)}</option>
            {skus.map(([sku, name]) => (
              <option key={sku} value={sku}>
                {sku} {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('courier', lang)}
          <CourierSelect
            value={filter.courier}
            onChange={(courier) => setFilter({ courier })}
            any={t('allCouriers', lang)}
          />
        </label>
        <label>
          {t('dateFrom', lang)}
          <input type="date" value={filter.from ?? ''} onChange={(e) => setFilter({ from: e.target.value || null })} />
        </label>
        <label>
          {t('dateTo', lang)}
          <input type="date" value={filter.to ?? ''} onChange={(e) => setFilter({ to: e.target.value || null })} />
        </label>
        <input
          type="search"
          aria-label={t('search', lang)}
          placeholder={t('search', lang)}
          value={filter.search}
          onChange={(e) => setFilter({ search: e.target.value })}
        />
        <button type="button" onClick={resetFilter}>
          {t('clearFilters', lang)}
        </button>
      </div>
      <div className="selection-bar">
        <button
          type="button"
          aria-keyshortcuts="Control+A"
          onClick={() => replaceSelection(rows.map((r) => r.orderSn))}
        >
          {t('selectAll', lang)} ({rows.length})
        </button>
        <button type="button" onClick={selectVisiblePage}>
          {t('selectPage', lang)}
        </button>
        <button type="button" onClick={clearSelection} disabled={selection.size === 0}>
          {t('clearSelection', lang)}
        </button>
        {!loaded ? <span className="loading">{t('loadingOrders', lang)}</span> : null}
        <span role="status" aria-live="polite">
          {t('selected', lang)} <b data-testid="selected-count">{selection.size}</b>
          {selectedInView !== selection.size ? ` (${selectedInView})` : ''}
        </span>
        <button
          type="button"
          className="primary"
          aria-keyshortcuts="Control+P"
          disabled={selection.size === 0}
          onClick={() => openBatchDialog(true)}
        >
          {t('batchPrint', lang)} ({selection.size})
        </button>
        <button
          type="button"
          disabled={syncing}
          onClick={async () => {
            setSyncing(true);
            await runtime.sync.pull().catch(() => undefined);
            setSyncing(false);
          }}
        >
          {t('syncNow', lang)}
        </button>
      </div>
      <div className="order-table" role="table" aria-label={t('orders', lang)} aria-rowcount={rows.length + 1}>
        <div role="rowgroup" className="order-head">
          <div role="row" className="order-row">
            <span role="columnheader" className="c-check" />
            <span role="columnheader" className="c-sn">
              {t('orderSn', lang)}
            </span>
            <span role="columnheader" className="c-goods">
              {t('goods', lang)}
            </span>
            <span role="columnheader" className="c-receiver">
              {t('receiver', lang)}
            </span>
            <span role="columnheader" className="c-merchant">
              {t('merchant', lang)}
            </span>
            <span role="columnheader" className="c-status">
              {t('status', lang)}
            </span>
            <span role="columnheader" className="c-waybill">
              {t('waybillNo', lang)}
            </span>
            <span role="columnheader" className="c-date">
              {t('createdAt', lang)}
            </span>
          </div>
        </div>
        <div
          ref={scroller}
          role="rowgroup"
          className="order-body"
          tabIndex={0}
          onKeyDown={onListKey}
          data-testid="order-scroller"
        >
          {loaded && rows.length === 0 ? <p className="empty">{t('noOrders', lang)}</p> : null}
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {virtual.getVirtualItems().map((v) => {
              const r = rows[v.index]!;
              return (
                <div
                  key={r.orderSn}
                  role="row"
                  aria-rowindex={v.index + 2}
                  aria-selected={selection.has(r.orderSn)}
                  className={`order-row view-${r.view}`}
                  style={{
                    position: 'absolute',
                    top: 0,
                    transform: `translateY(${v.start}px)`,
                    height: ROW_HEIGHT,
                    width: '100%',
                  }}
                >
                  <span role="cell" className="c-check">
                    <input
                      type="checkbox"
                      aria-label={r.orderSn}
                      checked={selection.has(r.orderSn)}
                      onClick={(e) => toggle(e, r, v.index)}
                      onChange={() => undefined}
                    />
                  </span>
                  <span role="cell" className="c-sn">
                    {r.orderSn}
                  </span>
                  <span role="cell" className="c-goods" title={r.goods}>
                    {r.goods}
                  </span>
                  <span role="cell" className="c-receiver">
                    {r.receiver}
                  </span>
                  <span role="cell" className="c-merchant">
                    {r.merchantName}
                  </span>
                  <span role="cell" className="c-status">
                    <StatusCell entry={r} />
                  </span>
                  <span role="cell" className="c-waybill">
                    {r.waybillNo ?? ''}
                  </span>
                  <span role="cell" className="c-date">
                    {chinaTime(r.createdAt)}
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
}

function StatusCell({ entry }: { entry: OrderEntry }) {
  const lang = useUi((s) => s.lang);
  const { runtime } = useStation();
  const me = runtime.info()?.stationId;
  const word = t(VIEW_WORD[entry.view], lang);
  if (entry.view === 'blocked' && entry.reason) {
    return (
      <span className="status status-blocked">
        {word}：{reasonText(entry.reason, lang)}
      </span>
    );
  }
  if (entry.view === 'printable' && entry.claimStationId !== null && entry.claimStationId !== me) {
    return (
      <span className="status status-elsewhere">
        {t('printingElsewhere', lang)}（{entry.claimStation}）
      </span>
    );
  }
  return <span className={`status status-${entry.view}`}>{word}</span>;
}
