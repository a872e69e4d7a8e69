/** 对账单 for the factory (M8): statements generated for it, the same rows, with downloads. */
import { ENDPOINTS } from '../../../shared/api/endpoints.ts';
import { type FactoryStatement } from '../../../shared/api/statements.ts';
import { send } from '../../api/hub.ts';
import { useT } from '../../i18n/index.ts';
import { ErrorBanner, Page, useLoad } from '../../app/ui.tsx';
import { StatementTable } from '../statements/StatementTable.tsx';

export function FactoryStatementsPage() {
  const { t } = useT();
  const list = useLoad(() => send(ENDPOINTS.listFactoryStatements, {}), []);
  return (
    <Page title={t('statementsTitle')}>
      <div className="actions">
        <button type="button" onClick={list.reload}>
          {t('refreshList')}
        </button>
      </div>
      <ErrorBanner error={list.error} />
      <StatementTable
        statements={list.data?.statements ?? []}
        partyHeader={t('merchant')}
        partyOf={(s) => (s as FactoryStatement).merchantDisplayName}
        downloadPath={(id) => `/v1/factory/statements/${id}/download`}
      />
    </Page>
  );
}
