/** 合作商家 (M2): binding requests from merchants; accept or reject. */
import { useState } from 'react';
import { ENDPOINTS } from '../../../shared/api/endpoints.ts';
import { send, type CallError } from '../../api/hub.ts';
import { useT } from '../../i18n/index.ts';
import { chinaTime, ErrorBanner, Page, useLoad } from '../../app/ui.tsx';
import { bindingStatusText } from '../merchant/FactoriesPage.tsx';

export function MerchantsPage() {
  const { t } = useT();
  const list = useLoad(() => send(ENDPOINTS.factoryBindings, {}), []);
  const [error, setError] = useState<CallError | null>(null);
  const decide = async (id: number, accept: boolean) => {
    const r = await send(accept ? ENDPOINTS.acceptBinding : ENDPOINTS.rejectBinding, { params: { id } });
    setError(r.error);
    list.reload();
  };
  return (
    <Page title={t('merchantsTitle')}>
      <ErrorBanner error={error ?? list.error} />
      <table>
        <thead>
          <tr>
            <th>{t('merchant')}</th>
            <th>{t('shopId')}</th>
            <th>{t('status')}</th>
            <th>{t('requestedAt')}</th>
            <th>{t('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.bindings ?? []).map((b) => (
            <tr key={b.id} aria-label={b.merchantDisplayName}>
              <td>{b.merchantDisplayName}</td>
              <td>{b.merchantShopId}</td>
              <td>{bindingStatusText(t, b)}</td>
              <td>{chinaTime(b.requestedAt)}</td>
              <td>
                {b.status === 'pending' ? (
                  <>
                    <button type="button" onClick={() => void decide(b.id, true)}>
                      {t('accept')}
                    </button>
                    <button type="button" onClick={() => void decide(b.id, false)}>
                      {t('reject')}
                    </button>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}
