/**
 * 对账单 (M8): choose a factory and a range, 生成; the list shows it pending and 刷新列表 shows the
 * downloads once it is ready. The limit is explained, and a refusal says when the next one is allowed.
 */
import { useState, type FormEvent } from 'react';
import { ENDPOINTS } from '../../../shared/api/endpoints.ts';
import { chinaMinute } from '../../../shared/domain/china-time.ts';
import { send, type CallError } from '../../api/hub.ts';
import { useT } from '../../i18n/index.ts';
import { chinaDay, chinaDayStartIso, ErrorBanner, Notice, Page, useLoad } from '../../app/ui.tsx';
import { StatementTable } from '../statements/StatementTable.tsx';

export function StatementsPage() {
  const { t } = useT();
  const list = useLoad(() => send(ENDPOINTS.listStatements, {}), []);
  const bindings = useLoad(() => send(ENDPOINTS.merchantBindings, {}), []);
  const factories = (bindings.data?.bindings ?? []).filter((b) => b.status === 'accepted');
  const [error, setError] = useState<CallError | null>(null);
  const [created, setCreated] = useState(false);
  const today = chinaDay(new Date());
  const weekAgo = chinaDay(new Date(Date.now() - 7 * 86_400_000));
  const nameOf = (id: number) => factories.find((f) => f.factoryShopId === id)?.factoryName ?? String(id);

  const generate = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const from = chinaDayStartIso(String(f.get('from')));
    const to = new Date(Date.parse(chinaDayStartIso(String(f.get('to')))) + 86_400_000).toISOString();
    setCreated(false);
    const r = await send(ENDPOINTS.createStatement, {
      body: { factoryShopId: Number(f.get('factoryShopId')), from, to },
    });
    setError(r.error);
    if (!r.error) {
      setCreated(true);
      list.reload();
    }
  };
  const next = (error?.body as { error?: { nextAllowedAt?: string } } | null)?.error?.nextAllowedAt;

  return (
    <Page title={t('statementsTitle')}>
      <p className="rule">{t('statementRule')}</p>
      <form className="form inline" onSubmit={(e) => void generate(e)} aria-label={t('generate')}>
        <label>
          {t('factory')}
          <select name="factoryShopId" required defaultValue="">
            <option value="" disabled>
              {t('chooseFactory')}
            </option>
            {factories.map((b) => (
              <option key={b.factoryShopId} value={b.factoryShopId}>
                {b.factoryName}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('rangeFrom')}
          <input type="date" name="from" required defaultValue={weekAgo} />
        </label>
        <label>
          {t('rangeTo')}
          <input type="date" name="to" required defaultValue={today} />
        </label>
        <button type="submit">{t('generate')}</button>
      </form>
      <ErrorBanner error={error} />
      {next ? <Notice>{t('nextAllowed', { when: chinaMinute(next) })}</Notice> : null}
      {created ? <Notice>{t('statementCreated')}</Notice> : null}
      <div className="actions">
        <button type="button" onClick={list.reload}>
          {t('refreshList')}
        </button>
      </div>
      <ErrorBanner error={list.error} />
      <StatementTable
        statements={list.data?.statements ?? []}
        partyHeader={t('factory')}
        partyOf={(s) => nameOf(s.factoryShopId)}
        downloadPath={(id) => `/v1/merchant/statements/${id}/download`}
      />
    </Page>
  );
}
