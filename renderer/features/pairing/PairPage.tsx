import { useState, type FormEvent } from 'react';
import { useUi } from '../../app/store.ts';
import { useStation } from '../../app/runtime-context.tsx';
import { t } from '../../i18n/index.ts';
import { ErrorLine } from '../../ui/ErrorLine.tsx';

/** 配对: a hub address and the one-time code from the factory console; the token stays in main. */
export function PairPage({ onPaired }: { onPaired: () => Promise<void> }) {
  const lang = useUi((s) => s.lang);
  const { runtime } = useStation();
  const [hubUrl, setHubUrl] = useState(runtime.info()?.hubUrl ?? 'http://127.0.0.1:8787');
  const [code, setCode] = useState('');
  const [name, setName] = useState('打印站 1');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await runtime.client.api.pair({ hubUrl, code, name });
      await onPaired();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="app-main narrow">
      <h2>{t('pairing', lang)}</h2>
      <p>{t('pairHint', lang)}</p>
      <form onSubmit={submit} className="form">
        <label>
          {t('hubUrl', lang)}
          <input value={hubUrl} onChange={(e) => setHubUrl(e.target.value)} required />
        </label>
        <label>
          {t('pairingCode', lang)}
          <input value={code} onChange={(e) => setCode(e.target.value)} required autoFocus placeholder="XXXX-XXXX" />
        </label>
        <label>
          {t('stationName', lang)}
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <button type="submit" disabled={busy}>
          {t('pair', lang)}
        </button>
        <ErrorLine error={error} lang={lang} />
      </form>
    </main>
  );
}
