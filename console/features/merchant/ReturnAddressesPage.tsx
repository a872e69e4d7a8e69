/** 退货地址: add, edit, set the default (the first one is the default). */
import { useState, type FormEvent } from 'react';
import { ENDPOINTS } from '../../../shared/api/endpoints.ts';
import { type ReturnAddress } from '../../../shared/api/shipping.ts';
import { send, type CallError } from '../../api/hub.ts';
import { useT } from '../../i18n/index.ts';
import { ErrorBanner, Page, useLoad } from '../../app/ui.tsx';

export function ReturnAddressesPage() {
  const { t } = useT();
  const list = useLoad(() => send(ENDPOINTS.listReturnAddresses, {}), []);
  const [editing, setEditing] = useState<number | null>(null);
  const [error, setError] = useState<CallError | null>(null);

  const inputOf = (form: HTMLFormElement) => {
    const f = new FormData(form);
    return {
      name: String(f.get('name') ?? '').trim(),
      phone: String(f.get('phone') ?? '').trim(),
      address: String(f.get('address') ?? '').trim(),
      isDefault: f.get('isDefault') === 'on',
    };
  };
  const add = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const r = await send(ENDPOINTS.createReturnAddress, { body: inputOf(form) });
    setError(r.error);
    if (!r.error) {
      form.reset();
      list.reload();
    }
  };
  const update = async (
    a: ReturnAddress,
    body: { name: string; phone: string; address: string; isDefault: boolean },
  ) => {
    const r = await send(ENDPOINTS.updateReturnAddress, { params: { id: a.id }, body });
    setError(r.error);
    if (!r.error) {
      setEditing(null);
      list.reload();
    }
  };

  return (
    <Page title={t('addressesTitle')}>
      <ErrorBanner error={error ?? list.error} />
      <table>
        <thead>
          <tr>
            <th>{t('contactName')}</th>
            <th>{t('phone')}</th>
            <th>{t('address')}</th>
            <th>{t('isDefault')}</th>
            <th>{t('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.returnAddresses ?? []).map((a) =>
            editing === a.id ? (
              <tr key={a.id}>
                <td colSpan={5}>
                  <form
                    className="form inline"
                    aria-label={t('edit')}
                    onSubmit={(e) => {
                      e.preventDefault();
                      void update(a, inputOf(e.currentTarget));
                    }}
                  >
                    <AddressFields a={a} />
                    <button type="submit">{t('save')}</button>
                    <button type="button" onClick={() => setEditing(null)}>
                      {t('cancel')}
                    </button>
                  </form>
                </td>
              </tr>
            ) : (
              <tr key={a.id} aria-label={`${a.name} ${a.address}`}>
                <td>{a.name}</td>
                <td>{a.phone}</td>
                <td>{a.address}</td>
                <td>{a.isDefault ? t('defaultMark') : ''}</td>
                <td>
                  <button type="button" onClick={() => setEditing(a.id)}>
                    {t('edit')}
                  </button>
                  {!a.isDefault ? (
                    <button
                      type="button"
                      onClick={() =>
                        void update(a, { name: a.name, phone: a.phone, address: a.address, isDefault: true })
                      }
                    >
                      {t('setDefault')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
      <h3>{t('addAddress')}</h3>
      <form className="form" onSubmit={(e) => void add(e)} aria-label={t('addAddress')}>
        <AddressFields a={null} />
        <button type="submit">{t('addAddress')}</button>
      </form>
    </Page>
  );
}

function AddressFields({ a }: { a: ReturnAddress | null }) {
  const { t } = useT();
  return (
    <>
      <label>
        {t('contactName')}
        <input name="name" required maxLength={64} defaultValue={a?.name ?? ''} />
      </label>
      <label>
        {t('phone')}
        <input name="phone" required maxLength={32} defaultValue={a?.phone ?? ''} />
      </label>
      <label>
        {t('address')}
        <input name="address" required maxLength={256} defaultValue={a?.address ?? ''} />
      </label>
      <label className="check">
        <input type="checkbox" name="isDefault" defaultChecked={a?.isDefault ?? false} />
        {t('setDefault')}
      </label>
    </>
  );
}
