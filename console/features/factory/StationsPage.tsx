/** 打印站: pair one (a one-time code and its expiry), list them, revoke one. */
import { useState } from 'react';
import { ENDPOINTS } from '../../../shared/api/endpoints.ts';
import type { PairingCodeResponse } from '../../../shared/api/stations.ts';
import { send, type CallError } from '../../api/hub.ts';
import { useT } from '../../i18n/index.ts';
import { chinaTime, ErrorBanner, Page, useLoad } from '../../app/ui.tsx';

export function StationsPage() {
  const { t } = useT();
  const list = useLoad(() => send(ENDPOINTS.listStations, {}), []);
  const [code, setCode] = useState<PairingCodeResponse | null>(null);
  const [error, setError] = useState<CallError | null>(null);
  const pair = async () => {
    const r = await send(ENDPOINTS.createPairingCode, {});
    setError(r.error);
    setCode(r.data);
  };
  const revoke = async (id: number) => {
    const r = await send(ENDPOINTS.revokeStation, { params: { id } });
    setError(r.error);
    list.reload();
  };
  return (
    <Page title={t('stationsTitle')}>
      <div className="actions">
        <button type="button" onClick={() => void pair()}>
          {t('pairStation')}
        </button>
        <button type="button" onClick={list.reload}>
          {t('refresh')}
        </button>
      </div>
      {code ? (
        <div className="pairing" role="status" aria-label={t('pairingCode')}>
          <p>
            {t('pairingCode')}：<strong className="code-big">{code.code}</strong>
          </p>
          <p>
            {t('expiresAt')}：{chinaTime(code.expiresAt)}
          </p>
          <p>{t('pairingHint')}</p>
        </div>
      ) : null}
      <ErrorBanner error={error ?? list.error} />
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>{t('stationName')}</th>
            <th>{t('pairedAt')}</th>
            <th>{t('status')}</th>
            <th>{t('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.stations ?? []).map((s) => (
            <tr key={s.stationId} aria-label={s.name}>
              <td>{s.stationId}</td>
              <td>{s.name}</td>
              <td>{chinaTime(s.pairedAt)}</td>
              <td>{s.revokedAt ? `${t('revoked')} ${chinaTime(s.revokedAt)}` : t('active')}</td>
              <td>
                {s.revokedAt ? null : (
                  <button type="button" onClick={() => void revoke(s.stationId)}>
                    {t('revoke')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}
