/** Small pieces every console page uses: loading data, showing an error, per-order results, times. */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { chinaMinute } from '../../shared/domain/china-time.ts';
import type { CallError, CallResult } from '../api/hub.ts';
import { useT } from '../i18n/index.ts';

export interface Loaded<T> {
  data: T | null;
  error: CallError | null;
  loading: boolean;
  reload(): void;
}

/** Loads on mount and whenever `deps` change; `reload()` loads again. */
export function useLoad<T>(load: () => Promise<CallResult<T>>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: CallError | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    void load().then((r) => {
      if (live) setState({ data: r.data, error: r.error, loading: false });
    });
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

export function ErrorBanner({ error }: { error: CallError | null | undefined }) {
  const { t } = useT();
  if (!error) return null;
  return (
    <div role="alert" className="error">
      <strong>{t('error')}：</strong>
      {error.message}
      {error.code !== 'UNREACHABLE' ? <span className="code"> ({error.code})</span> : null}
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div role="status" className="notice">
      {children}
    </div>
  );
}

export interface OrderResult {
  orderSn: string;
  ok: boolean;
  text: string;
}

/**
 * A batch action on orders (分配, 取消分配, 发货): busy while it runs, its error, and its per-order
 * results; `onDone` runs after an answer (clear the selection, reload the list).
 */
export function useBatchAction(onDone: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CallError | null>(null);
  const [results, setResults] = useState<OrderResult[] | null>(null);
  const run = async <T,>(call: () => Promise<CallResult<T>>, toResults: (data: T) => OrderResult[]) => {
    setBusy(true);
    const r = await call();
    setBusy(false);
    setError(r.error);
    if (r.data) {
      setResults(toResults(r.data));
      onDone();
    }
  };
  return { busy, error, setError, results, run };
}

/** First page / next page over a cursor-paged list. */
export function Pager({
  cursors,
  next,
  onChange,
}: {
  cursors: string[];
  next: string | null | undefined;
  onChange: (c: string[]) => void;
}) {
  const { t } = useT();
  return (
    <div className="pager">
      {cursors.length > 0 ? (
        <button type="button" onClick={() => onChange([])}>
          {t('firstPage')}
        </button>
      ) : null}
      {next ? (
        <button type="button" onClick={() => onChange([...cursors, next])}>
          {t('nextPage')}
        </button>
      ) : null}
    </div>
  );
}

/** The answer of a batch action: one line per order, refusals with their reason. */
export function ResultList({ results }: { results: OrderResult[] | null }) {
  const { t } = useT();
  if (!results) return null;
  const ok = results.filter((r) => r.ok).length;
  return (
    <section className="results" aria-label={t('results')}>
      <h3>
        {t('results')}：{t('resultSummary', { ok, failed: results.length - ok })}
      </h3>
      <ul>
        {results.map((r) => (
          <li key={r.orderSn} className={r.ok ? 'ok' : 'refused'}>
            <span className="sn">{r.orderSn}</span> {r.text}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** An instant as China time, how merchants and factories read times. */
export function chinaTime(iso: string | null | undefined): string {
  if (!iso) return '';
  return chinaMinute(iso);
}

/** `2026-11-27` (a China calendar day) → the instant it starts. */
export function chinaDayStartIso(day: string): string {
  return new Date(`${day}T00:00:00+08:00`).toISOString();
}

export { chinaDay } from '../../shared/domain/china-time.ts';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
}

/** A read-only table: one row per item, one cell per column. */
export function DataTable<T>({
  rows,
  columns,
  rowKey,
}: {
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T, i: number) => string;
}) {
  return (
    <table>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.header}>{c.header}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={rowKey(r, i)}>
            {columns.map((c) => (
              <td key={c.header}>{c.cell(r)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Page({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="page">
      <h2>{title}</h2>
      {children}
    </section>
  );
}
