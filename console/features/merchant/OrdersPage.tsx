/**
 * 订单 (M3): the merchant's orders with filters (stage, date, goods/SKU, factory, sn), a batch
 * selection of up to 1,000, 分配 / 批量分配 / 取消分配 with a result per order, and an order's details.
 */
import { memo, useMemo, useRef, useState, type FormEvent } from 'react';
import { ENDPOINTS } from '../../../shared/api/endpoints.ts';
import { MAX_BATCH } from '../../../shared/api/common.ts';
import {
  CANCEL_ALLOCATION_REFUSALS,
  type MerchantOrder,
  type MerchantOrdersQuery,
} from '../../../shared/api/orders.ts';
import { allocationRefusalText } from '../../../shared/domain/reasons.ts';
import { ORDER_STAGES, ORDER_STAGE_KEYS, orderStage, type OrderStage } from '../../../shared/domain/stages.ts';
import { send } from '../../api/hub.ts';
import { useT } from '../../i18n/index.ts';
import {
  chinaDayStartIso,
  chinaTime,
  ErrorBanner,
  Page,
  Pager,
  ResultList,
  useBatchAction,
  useLoad,
} from '../../app/ui.tsx';
import { OrderDetail } from './OrderDetail.tsx';

interface Filters {
  stage: OrderStage | '';
  from: string;
  to: string;
  goods: string;
  sn: string;
  factoryShopId: string;
  limit: number;
}

const EMPTY: Filters = { stage: '', from: '', to: '', goods: '', sn: '', factoryShopId: '', limit: 50 };

function queryOf(f: Filters, cursor: string | null): MerchantOrdersQuery {
  const q: MerchantOrdersQuery = { order: 'desc', limit: f.limit };
  if (f.stage) q.stage = f.stage;
  if (f.from) q.createdFrom = chinaDayStartIso(f.from);
  if (f.to) q.createdTo = new Date(Date.parse(chinaDayStartIso(f.to)) + 86_400_000).toISOString();
  if (f.goods.trim()) q.goods = f.goods.trim();
  if (f.sn.trim()) q.sn = f.sn.trim();
  if (f.factoryShopId) q.factoryShopId = Number(f.factoryShopId);
  if (cursor) q.cursor = cursor;
  return q;
}

export function OrdersPage() {
  const { t, lang } = useT();
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const orders = useLoad(() => send(ENDPOINTS.merchantOrders, { query: queryOf(filters, cursor) }), [filters, cursor]);
  const bindings = useLoad(() => send(ENDPOINTS.merchantBindings, {}), []);
  const factories = (bindings.data?.bindings ?? []).filter((b) => b.status === 'accepted');
  const [factoryId, setFactoryId] = useState<string>('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const batch = useBatchAction(() => {
    setSelected(new Set());
    orders.reload();
  });
  const busy = batch.busy;
  const [detailSn, setDetailSn] = useState<string | null>(null);
  const chosenFactory = factoryId || (factories.length === 1 ? String(factories[0]!.factoryShopId) : '');
  const factoryName = (id: number) => factories.find((f) => f.factoryShopId === id)?.factoryName ?? String(id);

  const applyFilters = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const s = (k: string) => String(f.get(k) ?? '');
    setFilters({
      stage: s('stage') as Filters['stage'],
      from: s('from'),
      to: s('to'),
      goods: s('goods'),
      sn: s('sn'),
      factoryShopId: s('factoryShopId'),
      limit: Number(s('limit')) || 50,
    });
    setCursors([]);
    setSelected(new Set());
  };

  const toggle = (sn: string, on: boolean) => {
    setSelected((prev) => {
      if (on && prev.size >= MAX_BATCH) return prev;
      const next = new Set(prev);
      if (on) next.add(sn);
      else next.delete(sn);
      return next;
    });
  };
  const pageSns = (orders.data?.orders ?? []).map((o) => o.sn);
  const allOnPage = pageSns.length > 0 && pageSns.every((sn) => selected.has(sn));
  const selectPage = (on: boolean) => {
    const next = new Set(selected);
    for (const sn of pageSns) {
      if (on && next.size >= MAX_BATCH) break;
      if (on) next.add(sn);
      else next.delete(sn);
    }
    setSelected(next);
  };

  const allocate = async (sns: string[]) => {
    if (!chosenFactory) {
      batch.setError({ status: null, code: 'FACTORY_REQUIRED', message: t('chooseFactory'), body: null });
      return;
    }
    await batch.run(
      () => send(ENDPOINTS.allocate, { body: { factoryShopId: Number(chosenFactory), orderSns: sns } }),
      (data) =>
        data.results.map((x) => ({
          orderSn: x.orderSn,
          ok: x.result === 'allocated',
          text: x.result === 'allocated' ? t('allocated') : `${t('refused')}：${allocationRefusalText(x.reason, lang)}`,
        })),
    );
  };

  const cancel = (sns: string[]) =>
    batch.run(
      () => send(ENDPOINTS.cancelAllocation, { body: { orderSns: sns } }),
      (data) =>
        data.results.map((x) => ({
          orderSn: x.orderSn,
          ok: x.result === 'cancelled',
          text:
            x.result === 'cancelled'
              ? t('cancelled')
              : `${t('refused')}：${CANCEL_ALLOCATION_REFUSALS[x.reason][lang]}`,
        })),
    );

  // Rows are memoised and their callbacks stable, so ticking one box or a busy toolbar re-renders
  // one row, not a thousand.
  const latest = useRef({ toggle, allocate, cancel, setDetailSn });
  latest.current = { toggle, allocate, cancel, setDetailSn };
  const actions = useMemo<RowActions>(
    () => ({
      toggle: (sn, on) => latest.current.toggle(sn, on),
      allocate: (sn) => void latest.current.allocate([sn]),
      cancel: (sn) => void latest.current.cancel([sn]),
      open: (sn) => latest.current.setDetailSn(sn),
    }),
    [],
  );

  const stageText = (o: MerchantOrder) => {
    const s = orderStage(o);
    return s ? ORDER_STAGES[s][lang] : t('orderCancelled');
  };

  return (
    <Page title={t('navOrders')}>
      <form className="filters" onSubmit={applyFilters} aria-label={t('query')}>
        <label>
          {t('status')}
          <select name="stage" defaultValue={filters.stage}>
            <option value="">{t('all')}</option>
            {ORDER_STAGE_KEYS.map((s) => (
              <option key={s} value={s}>
                {ORDER_STAGES[s][lang]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('createdFrom')}
          <input type="date" name="from" defaultValue={filters.from} />
        </label>
        <label>
          {t('createdTo')}
          <input type="date" name="to" defaultValue={filters.to} />
        </label>
        <label>
          {t('goodsOrSku')}
          <input name="goods" defaultValue={filters.goods} maxLength={64} />
        </label>
        <label>
          {t('factory')}
          <select name="factoryShopId" defaultValue={filters.factoryShopId}>
            <option value="">{t('all')}</option>
            {factories.map((f) => (
              <option key={f.factoryShopId} value={f.factoryShopId}>
                {f.factoryName}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('orderSn')}
          <input name="sn" type="search" defaultValue={filters.sn} maxLength={64} />
        </label>
        <label>
          {t('pageSize')}
          <select name="limit" defaultValue={String(filters.limit)}>
            {[50, 200, 1000].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('query')}</button>
      </form>

      <div className="actions" role="toolbar" aria-label={t('actions')}>
        <label>
          {t('allocateTo')}
          <select value={chosenFactory} onChange={(e) => setFactoryId(e.target.value)}>
            <option value="">{t('chooseFactory')}</option>
            {factories.map((f) => (
              <option key={f.factoryShopId} value={f.factoryShopId}>
                {f.factoryName}（{f.factoryShopId}）
              </option>
            ))}
          </select>
        </label>
        <span aria-live="polite">{t('selected', { n: selected.size })}</span>
        <button type="button" disabled={busy || selected.size === 0} onClick={() => void allocate([...selected])}>
          {t('batchAllocate')}
        </button>
        <button type="button" disabled={busy || selected.size === 0} onClick={() => void cancel([...selected])}>
          {t('cancelAllocation')}
        </button>
        {selected.size >= MAX_BATCH ? <span className="warn">{t('selectLimit', { n: MAX_BATCH })}</span> : null}
      </div>
      <ErrorBanner error={batch.error ?? orders.error} />
      <ResultList results={batch.results} />

      <table className="orders">
        <thead>
          <tr>
            <th>
              <input
                type="checkbox"
                aria-label={t('selectAll')}
                checked={allOnPage}
                onChange={(e) => selectPage(e.target.checked)}
              />
            </th>
            <th>{t('orderSn')}</th>
            <th>{t('goods')}</th>
            <th>{t('recipient')}</th>
            <th>{t('status')}</th>
            <th>{t('factory')}</th>
            <th>{t('waybillNo')}</th>
            <th>{t('createdAt')}</th>
            <th>{t('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(orders.data?.orders ?? []).map((o) => (
            <OrderRow
              key={o.sn}
              order={o}
              checked={selected.has(o.sn)}
              stage={stageText(o)}
              factory={o.allocation?.status === 'allocated' ? factoryName(o.allocation.factoryShopId) : ''}
              actions={actions}
            />
          ))}
        </tbody>
      </table>
      {orders.data && orders.data.orders.length === 0 ? <p>{t('noOrders')}</p> : null}
      <Pager cursors={cursors} next={orders.data?.nextCursor} onChange={setCursors} />
      {detailSn ? <OrderDetail sn={detailSn} factoryName={factoryName} onClose={() => setDetailSn(null)} /> : null}
    </Page>
  );
}

interface RowActions {
  toggle(sn: string, on: boolean): void;
  allocate(sn: string): void;
  cancel(sn: string): void;
  open(sn: string): void;
}

const OrderRow = memo(function OrderRow({
  order: o,
  checked,
  stage,
  factory,
  actions,
}: {
  order: MerchantOrder;
  checked: boolean;
  stage: string;
  factory: string;
  actions: RowActions;
}) {
  const { t } = useT();
  const live = o.allocation?.status === 'allocated';
  return (
    <tr aria-label={o.sn}>
      <td>
        <input
          type="checkbox"
          aria-label={o.sn}
          checked={checked}
          onChange={(e) => actions.toggle(o.sn, e.target.checked)}
        />
      </td>
      <td>
        <button type="button" className="link" onClick={() => actions.open(o.sn)}>
          {o.sn}
        </button>
      </td>
      <td>{o.items.map((i) => `${i.goodsName} ${i.spec} ×${i.quantity}`).join('；')}</td>
      <td>
        {o.recipient.name} {o.recipient.province}
        {o.recipient.city}
      </td>
      <td>{stage}</td>
      <td>{factory}</td>
      <td>{o.waybill?.waybillNo ?? ''}</td>
      <td>{chinaTime(o.createdAt)}</td>
      <td>
        {live ? (
          <button type="button" onClick={() => actions.cancel(o.sn)}>
            {t('cancelAllocation')}
          </button>
        ) : o.status === 'awaiting_shipment' ? (
          <button type="button" onClick={() => actions.allocate(o.sn)}>
            {t('allocate')}
          </button>
        ) : null}
      </td>
    </tr>
  );
});
