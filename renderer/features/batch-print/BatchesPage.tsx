/**
 * 打印批次: each batch with its progress (done/total, labels/s, ETA), pause, resume and cancel, its
 * 备货单, and the result of every label — blocked ones with the seed's reason, failed ones with the
 * printer's own message and "continue from here".
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { BatchProgress } from '../../engines/batch-runner.ts';
import type { BatchRow, JobItemRow, JobItemState } from '../../data/db.ts';
import { useUi } from '../../app/store.ts';
import { useIsLeader, useStation } from '../../app/runtime-context.tsx';
import { chinaTime, errorText, reasonText, t } from '../../i18n/index.ts';
import { ErrorLine } from '../../ui/ErrorLine.tsx';
import { pickingRows } from './picking.ts';

const STATE_WORD: Record<JobItemState, Parameters<typeof t>[0]> = {
  queued: 'stateQueued',
  sending: 'stateSending',
  sent: 'stateSent',
  blocked: 'stateBlocked',
  failed: 'stateFailed',
  in_doubt: 'stateInDoubt',
  cancelled: 'stateCancelled',
};
const BATCH_WORD: Record<BatchRow['state'], Parameters<typeof t>[0]> = {
  ready: 'batchReady',
  printing: 'batchPrinting',
  paused: 'batchPaused',
  done: 'batchDone',
  cancelled: 'batchCancelled',
};
const STATES: JobItemState[] = ['queued', 'sending', 'sent', 'blocked', 'failed', 'in_doubt', 'cancelled'];

export function BatchesPage() {
  const { lang, openBatchId, openBatch } = useUi();
  const { runtime } = useStation();
  const batches = useLiveQuery(
    () => runtime.db.batches.orderBy('createdAt').reverse().limit(50).toArray(),
    [runtime],
    [],
  );
  const current = openBatchId ?? batches[0]?.id ?? null;
  return (
    <section className="batches" aria-label={t('batches', lang)}>
      {batches.length === 0 ? <p className="empty">{t('noBatches', lang)}</p> : null}
      <ul className="batch-list" aria-label={t('batches', lang)}>
        {batches.map((b) => (
          <li key={b.id}>
            <button type="button" aria-current={b.id === current ? 'true' : undefined} onClick={() => openBatch(b.id!)}>
              {b.name} · {t(BATCH_WORD[b.state], lang)} · {b.total}
            </button>
          </li>
        ))}
      </ul>
      {current !== null ? <BatchDetail batchId={current} /> : null}
    </section>
  );
}

function useProgress(batchId: number): BatchProgress | null {
  const { runtime } = useStation();
  const [p, setP] = useState<BatchProgress | null>(null);
  useEffect(() => {
    let live = true;
    void runtime.runner.progress(batchId).then((x) => live && setP(x));
    const off = runtime.runner.onProgress((x) => x.batchId === batchId && setP(x));
    return () => {
      live = false;
      off();
    };
  }, [runtime, batchId]);
  return p;
}

function BatchDetail({ batchId }: { batchId: number }) {
  const lang = useUi((s) => s.lang);
  const { runtime } = useStation();
  const batch = useLiveQuery(() => runtime.db.batches.get(batchId), [runtime, batchId]);
  const counts = useLiveQuery(async () => {
    const c = {} as Record<JobItemState, number>;
    for (const s of STATES) c[s] = await runtime.db.jobItems.where('[batchId+state]').equals([batchId, s]).count();
    return c;
  }, [runtime, batchId]);
  const [only, setOnly] = useState<JobItemState | 'all'>('all');
  const items = useLiveQuery(
    () =>
      only === 'all'
        ? runtime.db.jobItems.where('[batchId+seq]').between([batchId, 0], [batchId, Infinity]).toArray()
        : runtime.db.jobItems.where('[batchId+state]').equals([batchId, only]).sortBy('seq'),
    [runtime, batchId, only],
    [] as JobItemRow[],
  );
  const progress = useProgress(batchId);
  const leader = useIsLeader();
  const [error, setError] = useState<unknown>(null);
  const [pickingUrl, setPickingUrl] = useState<string | null>(null);
  const [savedPath, setSavedPath] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 34,
    overscan: 10,
  });
  useEffect(() => () => void (pickingUrl && URL.revokeObjectURL(pickingUrl)), [pickingUrl]);
  const act = (fn: () => Promise<unknown>) => async () => {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    }
  };
  const done = counts ? counts.sent + counts.blocked + counts.failed + counts.cancelled : 0;
  const pct = batch && batch.total > 0 ? Math.round((done / batch.total) * 100) : 0;
  const failedReason = useMemo(() => batch?.pause?.error ?? null, [batch]);
  if (!batch) return null;
  const picking = async (output: 'preview' | 'file' | 'printer') => {
    const rows = await pickingRows(runtime.db, batchId);
    const res = await runtime.client.api.pickingList({ title: batch.name, rows, output });
    if (res.pdfBase64) {
      const bytes = Uint8Array.from(atob(res.pdfBase64), (c) => c.charCodeAt(0));
      setPickingUrl(URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' })));
    }
    if (res.path) setSavedPath(res.path);
  };
  return (
    <div className="batch-detail" aria-label={batch.name}>
      <h2>
        {batch.name} <span className={`batch-state state-${batch.state}`}>{t(BATCH_WORD[batch.state], lang)}</span>
      </h2>
      <p>
        {t('batchCreatedAt', lang)} {chinaTime(batch.createdAt)} · {t('courier', lang)} {batch.courier}
        {batch.sortBySku ? ` · ${t('sortBySku', lang)}` : ''}
      </p>
      <div className="progress-line">
        <progress max={batch.total} value={done} aria-label={t('progress', lang)} />
        <span data-testid="batch-progress">
          {done}/{batch.total}
        </span>
        <span>{pct}%</span>
        <span>
          {(progress?.rate ?? 0).toFixed(1)} {t('rate', lang)}
        </span>
        <span>
          {t('eta', lang)} {progress?.etaSeconds != null ? `${Math.ceil(progress.etaSeconds)} s` : '—'}
        </span>
      </div>
      <p className="counts">
        {STATES.filter((s) => (counts?.[s] ?? 0) > 0).map((s) => (
          <span key={s} className={`count-${s}`}>
            {t(STATE_WORD[s], lang)} {counts![s]}
          </span>
        ))}
      </p>
      {batch.state === 'paused' && failedReason ? (
        <p role="alert" className="error">
          {errorText(failedReason, lang)}
        </p>
      ) : null}
      <div className="buttons" hidden={!leader}>
        {batch.state === 'printing' ? (
          <button type="button" onClick={act(() => runtime.runner.pause(batchId))}>
            {t('pause', lang)}
          </button>
        ) : null}
        {batch.state === 'paused' || batch.state === 'ready' ? (
          <button type="button" className="primary" onClick={act(() => runtime.runner.resume(batchId))}>
            {t('resume', lang)}
          </button>
        ) : null}
        {batch.state !== 'done' && batch.state !== 'cancelled' ? (
          <button type="button" onClick={act(() => runtime.runner.cancel(batchId))}>
            {t('cancelBatch', lang)}
          </button>
        ) : null}
        <button type="button" onClick={act(() => picking('preview'))}>
          {t('pickingList', lang)}
        </button>
        <button type="button" onClick={act(() => picking('printer'))}>
          {t('printPickingList', lang)}
        </button>
        <button type="button" onClick={act(() => picking('file'))}>
          {t('savePickingList', lang)}
        </button>
      </div>
      <ErrorLine error={error} lang={lang} />
      {savedPath ? (
        <p role="status">
          {t('savedTo', lang)} {savedPath}
        </p>
      ) : null}
      {pickingUrl ? <iframe title={t('pickingList', lang)} src={pickingUrl} className="picking-preview" /> : null}
      <label className="inline-label">
        {t('showOnly', lang)}
        <select value={only} onChange={(e) => setOnly(e.target.value as JobItemState | 'all')}>
          <option value="all">{t('allStatuses', lang)}</option>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {t(STATE_WORD[s], lang)} ({counts?.[s] ?? 0})
            </option>
          ))}
        </select>
      </label>
      <div className="item-table" role="table" aria-label={`${batch.name} ${t('result', lang)}`}>
        <div ref={scroller} role="rowgroup" className="item-body">
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {virtual.getVirtualItems().map((v) => {
              const i = items[v.index]!;
              return (
                <div
                  key={i.id}
                  role="row"
                  className={`item-row state-${i.state}`}
                  style={{ position: 'absolute', top: 0, transform: `translateY(${v.start}px)`, width: '100%' }}
                >
                  <span role="cell" className="c-seq">
                    {i.seq + 1}
                  </span>
                  <span role="cell" className="c-sn">
                    {i.orderSn}
                  </span>
                  <span role="cell" className="c-state">
                    {t(STATE_WORD[i.state], lang)}
                    {i.unverified ? ` · ${t('unverified', lang)}` : ''}
                  </span>
                  <span role="cell" className="c-waybill">
                    {i.waybillNo ?? ''}
                  </span>
                  <span role="cell" className="c-detail">
                    {i.state === 'blocked' && i.reason
                      ? i.reason === 'printing_elsewhere' && i.claimedBy
                        ? `${reasonText(i.reason, lang)}（${i.claimedBy.name}）`
                        : reasonText(i.reason, lang)
                      : i.state === 'failed' && i.error
                        ? errorText(i.error, lang)
                        : ''}
                  </span>
                  <span role="cell" className="c-action">
                    {i.state === 'failed' ? (
                      <button type="button" onClick={act(() => runtime.runner.continueFrom(i.id!))}>
                        {t('continueFromHere', lang)}
                      </button>
                    ) : null}
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
