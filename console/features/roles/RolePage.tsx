/** 开通代发 (M1): become a merchant (display name and shipper) or a factory. */
import { useState, type FormEvent } from 'react';
import { ENDPOINTS } from '../../../shared/api/endpoints.ts';
import type { SessionView } from '../../../shared/api/session.ts';
import { send, type CallError } from '../../api/hub.ts';
import { useT } from '../../i18n/index.ts';
import { ErrorBanner, Notice, Page, useLoad } from '../../app/ui.tsx';

export function RolePage({ session, onSaved }: { session: SessionView; onSaved: () => void }) {
  const { t } = useT();
  const me = useLoad(() => send(ENDPOINTS.me, {}), []);
  const [choice, setChoice] = useState<'merchant' | 'factory' | null>(session.role);
  const [error, setError] = useState<CallError | null>(null);
  const [saved, setSaved] = useState(false);
  const profile = me.data?.profile;
  const merchant = profile?.role === 'merchant' ? profile : null;

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    const body =
      choice === 'merchant'
        ? {
            role: 'merchant' as const,
            displayName: text('displayName'),
            shipper: { name: text('shipperName'), phone: text('shipperPhone'), address: text('shipperAddress') },
          }
        : { role: 'factory' as const, ...(text('factoryName') ? { name: text('factoryName') } : {}) };
    const r = await send(ENDPOINTS.setRole, { body });
    setError(r.error);
    setSaved(!r.error);
    if (!r.error) onSaved();
  };

  return (
    <Page title={t('roleTitle')}>
      <ErrorBanner error={me.error} />
      <p>{t('roleIntro')}</p>
      <div className="choices" role="radiogroup" aria-label={t('roleIntro')}>
        <label>
          <input type="radio" name="role" checked={choice === 'merchant'} onChange={() => setChoice('merchant')} />
          {t('iAmMerchant')}
        </label>
        <label>
          <input type="radio" name="role" checked={choice === 'factory'} onChange={() => setChoice('factory')} />
          {t('iAmFactory')}
        </label>
      </div>
      {choice === 'merchant' && !me.loading ? (
        <form className="form" onSubmit={(e) => void submit(e)}>
          <label>
            {t('displayName')}
            <input name="displayName" required maxLength={64} defaultValue={merchant?.displayName ?? ''} />
            <small>{t('displayNameHint')}</small>
          </label>
          <label>
            {t('shipperName')}
            <input name="shipperName" required maxLength={64} defaultValue={merchant?.shipper.name ?? ''} />
          </label>
          <label>
            {t('shipperPhone')}
            <input name="shipperPhone" required maxLength={32} defaultValue={merchant?.shipper.phone ?? ''} />
          </label>
          <label>
            {t('shipperAddress')}
            <input name="shipperAddress" required maxLength={256} defaultValue={merchant?.shipper.address ?? ''} />
          </label>
          <button type="submit">{t('becomeMerchant')}</button>
        </form>
      ) : null}
      {choice === 'factory' && !me.loading ? (
        <form className="form" onSubmit={(e) => void submit(e)}>
          <label>
            {t('factoryName')}
            <input
              name="factoryName"
              maxLength={64}
              defaultValue={profile?.role === 'factory' ? profile.name : (me.data?.name ?? '')}
            />
          </label>
          <button type="submit">{t('becomeFactory')}</button>
        </form>
      ) : null}
      <ErrorBanner error={error} />
      {saved ? <Notice>{t('roleSaved')}</Notice> : null}
    </Page>
  );
}
