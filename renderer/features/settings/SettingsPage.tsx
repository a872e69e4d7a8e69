import { useEffect, useState } from 'react';
import type { StationInfo, StationSettings } from '../../../shared/ipc/index.ts';
import { useUi } from '../../app/store.ts';
import { useStation } from '../../app/runtime-context.tsx';
import { t } from '../../i18n/index.ts';
import { ErrorLine } from '../../ui/ErrorLine.tsx';
import { CourierSelect } from '../../ui/CourierSelect.tsx';

/** 设置: the station's name and hub, offline policy, reprint PIN, language and default courier. */
export function SettingsPage({ info }: { info: StationInfo }) {
  const { lang, setLang } = useUi();
  const { runtime } = useStation();
  const api = runtime.client.api;
  const [s, setS] = useState<StationSettings | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState('');
  const [pin, setPin] = useState('');
  const [currentPin, setCurrentPin] = useState('');
  useEffect(() => void api.getSettings({}).then(setS), [api]);
  if (!s) return null;
  const save = async (patch: Parameters<typeof api.setSettings>[0]) => {
    setError(null);
    setNote('');
    // Show the choice at once; the answer from main replaces it (or the error says why not).
    const { reprintPin: _pin, ...shown } = patch;
    setS((prev) => (prev ? ({ ...prev, ...shown } as StationSettings) : prev));
    try {
      setS(await api.setSettings(patch));
      setNote(t('saved', lang));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section aria-label={t('settings', lang)} className="settings form">
      <p>
        {t('paired', lang)}: {info.factoryName}（{t('factory', lang)} {info.factoryShopId}）· {info.hubUrl}
      </p>
      <label>
        {t('stationName', lang)}
        <input
          value={s.stationName}
          onChange={(e) => setS({ ...s, stationName: e.target.value })}
          onBlur={() => void save({ stationName: s.stationName })}
        />
      </label>
      <fieldset>
        <legend>{t('offlinePolicy', lang)}</legend>
        <label className="check">
          <input
            type="radio"
            name="policy"
            checked={s.offlinePolicy.mode === 'block'}
            onChange={() => void save({ offlinePolicy: { mode: 'block' } })}
          />
          {t('policyBlock', lang)}
        </label>
        <label className="check">
          <input
            type="radio"
            name="policy"
            checked={s.offlinePolicy.mode === 'grace'}
            onChange={() => void save({ offlinePolicy: { mode: 'grace', minutes: 30 } })}
          />
          {t('policyGrace', lang)}
        </label>
        {s.offlinePolicy.mode === 'grace' ? (
          <input
            type="number"
            min={1}
            max={1440}
            aria-label={t('policyGrace', lang)}
            value={s.offlinePolicy.minutes}
            onChange={(e) => setS({ ...s, offlinePolicy: { mode: 'grace', minutes: Number(e.target.value) } })}
            onBlur={() => void save({ offlinePolicy: s.offlinePolicy })}
          />
        ) : null}
      </fieldset>
      <label>
        {t('language', lang)}
        <select
          value={lang}
          onChange={(e) => {
            const l = e.target.value as 'zh' | 'en';
            setLang(l);
            void save({ language: l });
          }}
        >
          <option value="zh">中文</option>
          <option value="en">English</option>
        </select>
      </label>
      <label>
        {t('defaultCourier', lang)}
        <CourierSelect value={s.defaultCourier} onChange={(c) => void save({ defaultCourier: c })} />
      </label>
      <fieldset>
        <legend>{s.reprintLocked ? t('reprintLocked', lang) : t('setPin', lang)}</legend>
        {s.reprintLocked ? (
          <label>
            {t('currentPin', lang)}
            <input
              type="password"
              inputMode="numeric"
              value={currentPin}
              onChange={(e) => setCurrentPin(e.target.value)}
            />
          </label>
        ) : null}
        <label>
          {t('newPin', lang)}
          <input type="password" inputMode="numeric" value={pin} onChange={(e) => setPin(e.target.value)} />
        </label>
        <div className="buttons">
          <button
            type="button"
            onClick={() => void save({ reprintPin: { pin, ...(s.reprintLocked ? { currentPin } : {}) } })}
          >
            {t('setPin', lang)}
          </button>
          {s.reprintLocked ? (
            <button type="button" onClick={() => void save({ reprintPin: { pin: null, currentPin } })}>
              {t('clearPin', lang)}
            </button>
          ) : null}
        </div>
      </fieldset>
      {note ? <p role="status">{note}</p> : null}
      <ErrorLine error={error} lang={lang} />
    </section>
  );
}
