/** 厂家管理 (M2): bind a factory by its shop ID; the list of bindings with their status. */
import { useState, type FormEvent } from 'react';
import { ENDPOINTS } from '../../../shared/api/endpoints.ts';
import type { BindingView } from '../../../shared/api/bindings.ts';
import { send, type CallError } from '../../api/hub.ts';
import { FACTORY_NOT_FOUND_TEXT } from '../../../shared/domain/reasons.ts';
import { useT, type T } from '../../i18n/index.ts';
import { chinaTime, ErrorBanner, Notice, Page, useLoad } from '../../app/ui.tsx';

export function bindingStatusText(t: T, b: BindingView): string {
  return b.status === 'accepted'
    ? t('bindingAccepted')
    : b.status === 'pending'
      ? t('bindingPending')
      : t('bindingRejected');
}

export function FactoriesPage() {
  const { t } = useT();
  const list = useLoad(() => send(ENDPOINTS.merchantBindings, {}), []);
  const [error, setError] = useState<CallError | null>(null);
  const [sent, setSent] = useState(false);

  const bind = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const text = String(new FormData(form).get('factoryShopId') ?? '').trim();
    setSent(false);
    const id = /^\d{1,10}$/.test(text) ? Number(text) : 0;
    if (!(id > 0 && id <= 2_147_483_647)) {
      // Not a shop ID at all: the same words the hub gives for a shop that is not a factory (M2).
      setError({ status: null, code: 'FACTORY_NOT_FOUND', message: FACTORY_NOT_FOUND_TEXT, body: null });
      return;
    }
    const r = await send(ENDPOINTS.createBinding, { body: { factoryShopId: id } });
    setError(r.error);
    if (!r.error) {
      setSent(true);
      form.reset();
      list.reload();
    }
  };

  return (
    <Page title={t('navFactories')}>
      <form className="form inline" onSubmit={(e) => void bind(e)} aria-label={t('bindTitle')}>
        <label>
          {t('factoryShopId')}
          <input name="factoryShopId" inputMode="numeric" autoComplete="off" />
        </label>
        <button type="submit">{t('bind')}</button>
      </form>
      <ErrorBanner error={error} />
      {sent ? <Notice>{t('bindSent')}</Notice> : null}
      <ErrorBanner error={list.error} />
      <table>
        <thead>
          <tr>
            <th>{t('factory')}</th>
            <th>{t('factoryShopId')}</th>
            <th>{t('status')}</th>
            <th>{t('requestedAt')}</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.bindings ?? []).map((b) => (
            <tr key={b.id}>
              <td>{b.factoryName}</td>
              <td>{b.factoryShopId}</td>
              <td>{bindingStatusText(t, b)}</td>
              <td>{chinaTime(b.requestedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}
