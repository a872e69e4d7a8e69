import { useEffect, useState } from 'react';
import type { PrinterConfig } from '../../../shared/ipc/index.ts';
import { StationError } from '../../../shared/ipc/index.ts';
import { useUi } from '../../app/store.ts';
import { useIsLeader, useStation } from '../../app/runtime-context.tsx';
import { errorText, reasonText, t } from '../../i18n/index.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { ErrorLine } from '../../ui/ErrorLine.tsx';

/** 重打: never silent — a reason is required, and the PIN when the lock is on; the hub records it (M9). */
export function ReprintDialog() {
  const { lang, reprint, openReprint } = useUi();
  const { runtime } = useStation();
  const [reason, setReason] = useState('');
  const [pin, setPin] = useState('');
  const [locked, setLocked] = useState(false);
  const [printers, setPrinters] = useState<PrinterConfig[]>([]);
  const [printerId, setPrinterId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const leader = useIsLeader();
  useEffect(() => {
    if (!reprint) return;
    setReason('');
    setPin('');
    setError(null);
    void (async () => {
      const [s, p] = await Promise.all([runtime.client.api.getSettings({}), runtime.client.api.listPrinters({})]);
      setLocked(s.reprintLocked);
      setPrinters(p.printers);
      setPrinterId(p.defaultPrinterId ?? p.printers[0]?.id ?? '');
    })();
  }, [reprint, runtime]);
  const submit = async () => {
    if (!reprint) return;
    if (!reason.trim()) {
      setError(
        new StationError('invalid_args', { message: '重打必须填写原因', messageEn: 'A reprint needs a reason' }),
      );
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (locked && !(await runtime.client.api.verifyPin({ pin })).ok) throw new StationError('pin_wrong');
      const batchId = await runtime.runner.createReprint({ orderSn: reprint.orderSn, printerId, reason });
      await runtime.runner.start(batchId, locked ? { pin } : {});
      const item = await runtime.db.jobItems.where('[batchId+seq]').equals([batchId, 0]).first();
      const batch = await runtime.db.batches.get(batchId);
      if (item?.state === 'sent') {
        openReprint(null);
        return;
      }
      if (item?.state === 'blocked' && item.reason) throw new Error(reasonText(item.reason, lang));
      if (item?.error) throw new Error(errorText(item.error, lang));
      if (batch?.pause?.error) throw StationError.fromBody(batch.pause.error);
      throw new Error(t('stateFailed', lang));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={`${t('reprint', lang)} ${reprint?.orderSn ?? ''}`}
      open={reprint !== null}
      onClose={() => openReprint(null)}
    >
      <div className="form">
        <label>
          {t('reprintReason', lang)}
          <input value={reason} onChange={(e) => setReason(e.target.value)} required autoFocus />
        </label>
        {locked ? (
          <label>
            {t('reprintPin', lang)}
            <input type="password" inputMode="numeric" value={pin} onChange={(e) => setPin(e.target.value)} />
          </label>
        ) : null}
        <label>
          {t('printer', lang)}
          <select value={printerId} onChange={(e) => setPrinterId(e.target.value)}>
            {printers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <div className="buttons">
          <button type="button" onClick={() => openReprint(null)}>
            {t('cancel', lang)}
          </button>
          <button type="button" className="primary" disabled={!leader || busy} onClick={submit}>
            {t('reprint', lang)}
          </button>
        </div>
        <ErrorLine error={error} lang={lang} />
      </div>
    </Dialog>
  );
}
