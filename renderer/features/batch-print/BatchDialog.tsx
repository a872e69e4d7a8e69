/**
 * The batch print dialog: printer, template and courier, sort by SKU, and the counts before anything
 * prints — what will print, what the guard already blocks (with the seed's reasons), what was printed
 * before and will not print again. Takeover of orders another station holds needs a reason.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Courier } from '../../../shared/domain/index.ts';
import type { PrinterConfig } from '../../../shared/ipc/index.ts';
import { useUi } from '../../app/store.ts';
import { useIsLeader, useOrderEntries, useStation } from '../../app/runtime-context.tsx';
import { reasonText, t } from '../../i18n/index.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { ErrorLine } from '../../ui/ErrorLine.tsx';
import { CourierSelect } from '../../ui/CourierSelect.tsx';

export function BatchDialog() {
  const { lang, batchDialog, openBatchDialog, selection, clearSelection, openBatch, go } = useUi();
  const { runtime } = useStation();
  const { entries } = useOrderEntries();
  const [printers, setPrinters] = useState<PrinterConfig[]>([]);
  const [printerId, setPrinterId] = useState('');
  const [courier, setCourier] = useState<Courier>('ZTO');
  const [sortBySku, setSortBySku] = useState(true);
  const [takeover, setTakeover] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const me = runtime.info()?.stationId;
  const leader = useIsLeader();

  useEffect(() => {
    if (!batchDialog) return;
    setError(null);
    void (async () => {
      const [list, settings] = await Promise.all([
        runtime.client.api.listPrinters({}),
        runtime.client.api.getSettings({}),
      ]);
      setPrinters(list.printers);
      setPrinterId((id) => id || list.defaultPrinterId || list.printers[0]?.id || '');
      setCourier(settings.defaultCourier);
    })();
  }, [batchDialog, runtime]);

  const plan = useMemo(() => {
    const chosen = entries.filter((e) => selection.has(e.orderSn));
    const printable = chosen.filter(
      (e) => e.view === 'printable' && (e.claimStationId === null || e.claimStationId === me),
    );
    const elsewhere = chosen.filter(
      (e) => e.view === 'printable' && e.claimStationId !== null && e.claimStationId !== me,
    );
    const blocked = chosen.filter((e) => e.view === 'blocked');
    const done = chosen.filter((e) => e.view === 'printed' || e.view === 'returned' || e.view === 'shipped');
    const reasons = new Map<string, number>();
    for (const b of blocked)
      if (b.reason) reasons.set(reasonText(b.reason, lang), (reasons.get(reasonText(b.reason, lang)) ?? 0) + 1);
    return { printable, elsewhere, blocked, done, reasons };
  }, [entries, selection, me, lang]);

  const printer = printers.find((p) => p.id === printerId);
  const confirm = async (mode: 'print' | 'prepare') => {
    if (takeover && plan.elsewhere.length > 0 && !reason.trim()) {
      setError({ message: '接管需要填写原因', messageEn: 'A takeover needs a reason' });
      return;
    }
    setBusy(true);
    try {
      const orderSns = [...plan.printable, ...plan.blocked, ...(takeover ? plan.elsewhere : [])].map((e) => e.orderSn);
      const batchId = await runtime.runner.createBatch({
        orderSns,
        printerId,
        courier,
        sortBySku,
        ...(takeover && plan.elsewhere.length > 0 ? { takeoverReason: reason.trim() } : {}),
      });
      // "Prepare only": numbers and claims now, while online, so the batch can print offline later.
      if (mode === 'prepare') await runtime.runner.prepare(batchId);
      else void runtime.runner.start(batchId);
      clearSelection();
      openBatchDialog(false);
      openBatch(batchId);
      go('batches');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('batchPrint', lang)} open={batchDialog} onClose={() => openBatchDialog(false)}>
      <div className="form">
        <label>
          {t('printer', lang)}
          <select value={printerId} onChange={(e) => setPrinterId(e.target.value)}>
            {printers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} · {p.format.toUpperCase()} · {p.template} · {p.dpi} dpi
              </option>
            ))}
          </select>
        </label>
        <p>
          {t('template', lang)}: <b>{printer?.template ?? '—'}</b> · {printer?.dpi ?? ''} dpi
        </p>
        <label>
          {t('courier', lang)}
          <CourierSelect value={courier} onChange={setCourier} />
        </label>
        <label className="check">
          <input type="checkbox" checked={sortBySku} onChange={(e) => setSortBySku(e.target.checked)} />
          {t('sortBySku', lang)}
        </label>
        <ul className="plan" aria-label={t('progress', lang)}>
          <li>
            {t('willPrint', lang)}:{' '}
            <b data-testid="plan-printable">{plan.printable.length + (takeover ? plan.elsewhere.length : 0)}</b>
          </li>
          <li>
            {t('willBlock', lang)}: <b data-testid="plan-blocked">{plan.blocked.length}</b>
            {[...plan.reasons].map(([r, n]) => (
              <span key={r} className="reason">
                {' '}
                {r} ×{n}
              </span>
            ))}
          </li>
          <li>
            {t('alreadyDone', lang)}: <b>{plan.done.length}</b>
          </li>
          {plan.elsewhere.length > 0 ? (
            <li>
              {t('printingElsewhere', lang)}: <b>{plan.elsewhere.length}</b> (
              {[...new Set(plan.elsewhere.map((e) => e.claimStation))].join('、')})
            </li>
          ) : null}
        </ul>
        {plan.elsewhere.length > 0 ? (
          <>
            <label className="check">
              <input type="checkbox" checked={takeover} onChange={(e) => setTakeover(e.target.checked)} />
              {t('takeover', lang)}
            </label>
            {takeover ? (
              <label>
                {t('takeoverReason', lang)}
                <input value={reason} onChange={(e) => setReason(e.target.value)} required />
              </label>
            ) : null}
          </>
        ) : null}
        <div className="buttons">
          <button type="button" onClick={() => openBatchDialog(false)}>
            {t('cancel', lang)}
          </button>
          <button
            type="button"
            disabled={!leader || busy || !printerId || plan.printable.length === 0}
            onClick={() => confirm('prepare')}
          >
            {t('prepareOnly', lang)}
          </button>
          <button
            type="button"
            className="primary"
            disabled={
              !leader ||
              busy ||
              !printerId ||
              plan.printable.length + plan.blocked.length + (takeover ? plan.elsewhere.length : 0) === 0
            }
            onClick={() => confirm('print')}
          >
            {t('confirmPrint', lang)}
          </button>
        </div>
        <ErrorLine error={error} lang={lang} />
      </div>
    </Dialog>
  );
}
