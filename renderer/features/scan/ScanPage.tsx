import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useUi } from '../../app/store.ts';
import { useIsLeader, useStation } from '../../app/runtime-context.tsx';
import { chinaTime, errorText, reasonText, t } from '../../i18n/index.ts';
import { playCue } from './cues.ts';
import { handleScan, type ScanResult } from './scan.ts';

/**
 * 扫码打印: a field for a keyboard-wedge scanner (the scanner types the code and Enter). It keeps the
 * focus, so a worker never touches the mouse; each result is spoken by a sound and a colour.
 */
export function ScanPage() {
  const lang = useUi((s) => s.lang);
  const { runtime } = useStation();
  const input = useRef<HTMLInputElement>(null);
  const [results, setResults] = useState<ScanResult[]>([]);
  const [busy, setBusy] = useState(false);
  const leader = useIsLeader();
  useEffect(() => input.current?.focus(), []);

  const onKey = async (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const code = e.currentTarget.value;
    e.currentTarget.value = '';
    if (!code.trim() || busy) return;
    setBusy(true);
    try {
      const [printers, settings] = await Promise.all([
        runtime.client.api.listPrinters({}),
        runtime.client.api.getSettings({}),
      ]);
      const r = await handleScan(runtime, code, {
        printerId: printers.defaultPrinterId ?? printers.printers[0]!.id,
        courier: settings.defaultCourier,
        nothingForSku: t('scanNothingForSku', lang),
        notFound: t('scanNotFound', lang),
        describe: (order, item) =>
          item?.reason
            ? reasonText(item.reason, lang)
            : order.reason
              ? reasonText(order.reason, lang)
              : t(
                  order.view === 'shipped' ? 'viewShipped' : order.view === 'returned' ? 'viewReturned' : 'viewPrinted',
                  lang,
                ),
      });
      playCue(r.kind === 'printed' || r.kind === 'history' ? 'ok' : r.kind === 'not_found' ? 'not_found' : 'blocked');
      setResults((prev) => [r, ...prev].slice(0, 20));
    } finally {
      setBusy(false);
      input.current?.focus();
    }
  };

  const last = results[0];
  const tone = !last
    ? ''
    : last.kind === 'printed' || last.kind === 'history'
      ? 'scan-ok'
      : last.kind === 'not_found'
        ? 'scan-missing'
        : 'scan-blocked';
  return (
    <section className={`scan ${tone}`} aria-label={t('scan', lang)}>
      <p>{t('scanHint', lang)}</p>
      <input
        ref={input}
        className="scan-input"
        disabled={!leader}
        aria-label={t('scanField', lang)}
        aria-keyshortcuts="F2"
        onKeyDown={onKey}
        onBlur={() => setTimeout(() => input.current?.focus(), 0)}
        autoComplete="off"
      />
      <div role="status" aria-live="assertive" className="scan-result">
        {last ? <ResultLine r={last} /> : null}
      </div>
      {last?.kind === 'history' ? (
        <table className="history" aria-label={t('history', lang)}>
          <thead>
            <tr>
              <th>{t('time', lang)}</th>
              <th>{t('waybillNo', lang)}</th>
              <th>{t('printer', lang)}</th>
              <th>{t('station', lang)}</th>
              <th>{t('result', lang)}</th>
            </tr>
          </thead>
          <tbody>
            {last.log.map((l) => (
              <tr key={l.id}>
                <td>{chinaTime(l.at)}</td>
                <td>{l.waybillNo}</td>
                <td>{l.printerName}</td>
                <td>{l.stationName}</td>
                <td>{l.kind === 'reprint' ? `${t('kindReprint', lang)}：${l.reason}` : t('kindPrint', lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <ul className="scan-log" aria-label={t('history', lang)}>
        {results.slice(1).map((r, i) => (
          <li key={i}>
            <ResultLine r={r} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function ResultLine({ r }: { r: ScanResult }) {
  const lang = useUi((s) => s.lang);
  switch (r.kind) {
    case 'printed':
      return (
        <span>
          ✔ {t('scanOk', lang)} {r.order.orderSn} · {r.item.waybillNo}
        </span>
      );
    case 'blocked':
      return (
        <span>
          ✖ {t('scanBlocked', lang)} {r.order.orderSn}：{r.reasonText}
        </span>
      );
    case 'failed':
      return (
        <span>
          ✖ {r.order.orderSn}：{r.item.error ? errorText(r.item.error, lang) : t('stateFailed', lang)}
        </span>
      );
    case 'history':
      return (
        <span>
          {r.code} → {r.order.orderSn} · {r.order.items.map((i) => `${i.goodsName} ${i.spec}×${i.quantity}`).join('；')}
        </span>
      );
    case 'not_found':
      return (
        <span>
          ? {r.code}：{r.message}
        </span>
      );
  }
}
