/**
 * 打印机: found and configured printers, adding one by address, a test page and the printer's status
 * (paper out, head open), template, dpi, darkness and speed, x/y calibration with a live preview drawn
 * from the same layout as the labels, the default printer and a printer per template.
 */
import { useCallback, useEffect, useState } from 'react';
import {
  LABEL_FORMATS,
  type LabelFormatId,
  type PrinterConfig,
  type PrinterStatusView,
  type StationSettings,
} from '../../../shared/ipc/index.ts';
import { useUi } from '../../app/store.ts';
import { useStation } from '../../app/runtime-context.tsx';
import { errorText, t } from '../../i18n/index.ts';
import { ErrorLine } from '../../ui/ErrorLine.tsx';

type Discovered = Awaited<ReturnType<ReturnType<typeof useStation>['runtime']['client']['api']['discoverPrinters']>>;

export function PrintersPage() {
  const lang = useUi((s) => s.lang);
  const { runtime } = useStation();
  const api = runtime.client.api;
  const [printers, setPrinters] = useState<PrinterConfig[]>([]);
  const [settings, setSettings] = useState<StationSettings | null>(null);
  const [found, setFound] = useState<Discovered | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [draft, setDraft] = useState({ name: '', url: 'tcp://192.168.1.50:9100', format: 'tspl' as LabelFormatId });
  const reload = useCallback(async () => {
    const [p, s] = await Promise.all([api.listPrinters({}), api.getSettings({})]);
    setPrinters(p.printers);
    setSettings(s);
  }, [api]);
  useEffect(() => void reload(), [reload]);
  const act = (fn: () => Promise<unknown>) => async () => {
    setError(null);
    try {
      await fn();
      await reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section aria-label={t('printers', lang)} className="printers">
      <ErrorLine error={error} lang={lang} />
      <div className="buttons">
        <button type="button" onClick={act(async () => setFound(await api.discoverPrinters({})))}>
          {t('discover', lang)}
        </button>
      </div>
      {found ? (
        <div>
          <h3>{t('found', lang)}</h3>
          {found.warnings.map((w) => (
            <p key={w} className="warning">
              {w}
            </p>
          ))}
          <ul>
            {found.printers.map((p) => (
              <li key={p.url}>
                {p.name} · <code>{p.url}</code>{' '}
                <button
                  type="button"
                  onClick={act(() =>
                    api.addPrinter({
                      name: p.name,
                      url: p.url,
                      format: p.kind === 'system' && p.hasDriver ? 'pdf' : 'tspl',
                    }),
                  )}
                >
                  {t('add', lang)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <form
        className="form inline"
        aria-label={t('addPrinter', lang)}
        onSubmit={(e) => {
          e.preventDefault();
          void act(() => api.addPrinter({ name: draft.name || draft.url, url: draft.url, format: draft.format }))();
        }}
      >
        <h3>{t('addPrinter', lang)}</h3>
        <label>
          {t('printerName', lang)}
          <input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
        </label>
        <label>
          {t('printerAddress', lang)}
          <input value={draft.url} onChange={(e) => setDraft({ ...draft, url: e.target.value })} required />
        </label>
        <label>
          {t('printerLanguage', lang)}
          <select
            value={draft.format}
            onChange={(e) => setDraft({ ...draft, format: e.target.value as LabelFormatId })}
          >
            {LABEL_FORMATS.map((f) => (
              <option key={f} value={f}>
                {f.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('add', lang)}</button>
      </form>
      {printers.map((p) => (
        <PrinterCard key={p.id} printer={p} settings={settings} onChanged={reload} />
      ))}
    </section>
  );
}

function PrinterCard({
  printer,
  settings,
  onChanged,
}: {
  printer: PrinterConfig;
  settings: StationSettings | null;
  onChanged: () => Promise<void>;
}) {
  const lang = useUi((s) => s.lang);
  const { runtime } = useStation();
  const api = runtime.client.api;
  const [edit, setEdit] = useState(printer);
  const [preview, setPreview] = useState<string | null>(null);
  const [status, setStatus] = useState<PrinterStatusView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const [warning, setWarning] = useState('');
  useEffect(() => setEdit(printer), [printer]);
  useEffect(() => {
    const id = setTimeout(() => {
      api
        .previewLabel({
          settings: {
            template: edit.template,
            dpi: edit.dpi,
            offsetMm: edit.offsetMm,
            darkness: edit.darkness,
            speed: edit.speed,
          },
        })
        .then((r) => {
          setPreview(`data:image/png;base64,${r.pngBase64}`);
          setError(null);
        })
        .catch(setError);
    }, 250);
    return () => clearTimeout(id);
  }, [api, edit.template, edit.dpi, edit.offsetMm, edit.darkness, edit.speed]);
  const act = (fn: () => Promise<unknown>, done?: string) => async () => {
    setError(null);
    setNote('');
    try {
      await fn();
      if (done) setNote(done);
      await onChanged();
    } catch (e) {
      setError(e);
    }
  };
  const isDefault = settings?.defaultPrinterId === printer.id;
  const num = (v: string) => (v === '' || v === '-' ? 0 : Number(v));
  return (
    <article className="printer-card" aria-label={printer.name}>
      <h3>
        {printer.name} {isDefault ? <span className="badge">{t('isDefault', lang)}</span> : null}
      </h3>
      <div className="printer-grid">
        <div className="form">
          <label>
            {t('printerName', lang)}
            <input value={edit.name} onChange={(e) => setEdit({ ...edit, name: e.target.value })} />
          </label>
          <label>
            {t('printerAddress', lang)}
            <input value={edit.url} onChange={(e) => setEdit({ ...edit, url: e.target.value })} />
          </label>
          <label>
            {t('printerLanguage', lang)}
            <select value={edit.format} onChange={(e) => setEdit({ ...edit, format: e.target.value as LabelFormatId })}>
              {LABEL_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {f.toUpperCase()}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('template', lang)}
            <select
              value={edit.template}
              onChange={(e) => setEdit({ ...edit, template: e.target.value as PrinterConfig['template'] })}
            >
              <option value="100x180">100×180</option>
              <option value="76x130">76×130</option>
            </select>
          </label>
          <label>
            {t('dpi', lang)}
            <select value={edit.dpi} onChange={(e) => setEdit({ ...edit, dpi: Number(e.target.value) as 203 | 300 })}>
              <option value={203}>203 dpi</option>
              <option value={300}>300 dpi</option>
            </select>
          </label>
          <label>
            {t('darkness', lang)} ({edit.darkness})
            <input
              type="range"
              min={0}
              max={15}
              value={edit.darkness}
              onChange={(e) => setEdit({ ...edit, darkness: Number(e.target.value) })}
            />
          </label>
          <label>
            {t('speed', lang)}
            <input
              type="number"
              min={1}
              max={14}
              value={edit.speed}
              onChange={(e) => setEdit({ ...edit, speed: Number(e.target.value) })}
            />
          </label>
          <label>
            {t('gap', lang)}
            <input
              type="number"
              min={0}
              max={20}
              step={0.5}
              value={edit.gapMm ?? 2}
              onChange={(e) => setEdit({ ...edit, gapMm: num(e.target.value) })}
            />
          </label>
          <label>
            {t('direction', lang)}
            <select
              value={edit.direction ?? 1}
              onChange={(e) => setEdit({ ...edit, direction: Number(e.target.value) as 0 | 1 })}
            >
              <option value={1}>{t('directionTopFirst', lang)}</option>
              <option value={0}>{t('directionTurned', lang)}</option>
            </select>
          </label>
          <label>
            {t('offsetX', lang)}
            <input
              type="number"
              step={0.25}
              min={-20}
              max={20}
              value={edit.offsetMm.x}
              onChange={(e) => setEdit({ ...edit, offsetMm: { ...edit.offsetMm, x: num(e.target.value) } })}
            />
          </label>
          <label>
            {t('offsetY', lang)}
            <input
              type="number"
              step={0.25}
              min={-20}
              max={20}
              value={edit.offsetMm.y}
              onChange={(e) => setEdit({ ...edit, offsetMm: { ...edit.offsetMm, y: num(e.target.value) } })}
            />
          </label>
          <div className="buttons">
            <button
              type="button"
              className="primary"
              onClick={act(
                () => {
                  const { id, ...patch } = edit;
                  return api.updatePrinter({ id, patch });
                },
                t('saved', lang),
              )}
            >
              {t('save', lang)}
            </button>
            <button
              type="button"
              onClick={act(
                async () => {
                  const r = await api.testPrinter({ id: printer.id });
                  if (r.warning) setWarning(lang === 'zh' ? r.warning.zh : r.warning.en);
                },
                t('testPage', lang) + ' ✔',
              )}
            >
              {t('testPage', lang)}
            </button>
            <button type="button" onClick={act(async () => setStatus(await api.printerStatus({ id: printer.id })))}>
              {t('checkStatus', lang)}
            </button>
            {!isDefault ? (
              <button type="button" onClick={act(() => api.setSettings({ defaultPrinterId: printer.id }))}>
                {t('setDefault', lang)}
              </button>
            ) : null}
            <button
              type="button"
              onClick={act(() =>
                api.setSettings({
                  printerByTemplate: { ...settings?.printerByTemplate, [printer.template]: printer.id },
                }),
              )}
            >
              {t('forTemplate', lang)} {printer.template}
            </button>
            <button type="button" onClick={act(() => api.removePrinter({ id: printer.id }))}>
              {t('remove', lang)}
            </button>
          </div>
          {status ? (
            <p role="status">
              {t(
                status.state === 'ready'
                  ? 'ready'
                  : status.state === 'fault'
                    ? 'fault'
                    : status.state === 'unknown'
                      ? 'unknown'
                      : 'unreachable',
                lang,
              )}
              {status.error ? `：${errorText(status.error, lang)}` : ''}
            </p>
          ) : null}
          {note ? <p role="status">{note}</p> : null}
          {warning ? <p className="warning">{warning}</p> : null}
          <ErrorLine error={error} lang={lang} />
        </div>
        {preview ? <img className="label-preview" src={preview} alt={`${t('preview', lang)} ${printer.name}`} /> : null}
      </div>
    </article>
  );
}
