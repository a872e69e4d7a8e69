/**
 * Sign-in with a one-time login link: `/login#<token>`. The token sits in the URL fragment, which
 * the browser never sends to a server or writes to a log; the page takes it out of the address bar
 * and exchanges it for the session cookie. A used, expired or unknown link gets a page that says so.
 */
import { useEffect, useRef, useState } from 'react';
import { ENDPOINTS } from '../../../shared/api/endpoints.ts';
import { type SessionView } from '../../../shared/api/session.ts';
import { send, type CallError } from '../../api/hub.ts';
import { useT, type WordKey } from '../../i18n/index.ts';

const LINK_ERRORS: Record<string, WordKey> = {
  LOGIN_LINK_USED: 'linkUsedTitle',
  LOGIN_LINK_EXPIRED: 'linkExpiredTitle',
  LOGIN_LINK_INVALID: 'linkInvalidTitle',
};

export function LoginPage({ onSignedIn }: { onSignedIn: (s: SessionView) => void }) {
  const { t } = useT();
  const [error, setError] = useState<CallError | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return; // StrictMode runs effects twice; a link works once.
    started.current = true;
    const token = location.hash.slice(1);
    history.replaceState(null, '', '/login');
    if (!token) {
      setError({ status: 404, code: 'LOGIN_LINK_INVALID', message: '', body: null });
      return;
    }
    void send(ENDPOINTS.createSession, { body: { token } }).then((r) => {
      if (r.data) onSignedIn(r.data.session);
      else setError(r.error);
    });
  }, [onSignedIn]);

  if (!error) return <p role="status">{t('signingIn')}</p>;
  const title = LINK_ERRORS[error.code];
  return (
    <section className="page signin">
      <h2>{title ? t(title) : t('error')}</h2>
      {error.message ? <p role="alert">{error.message}</p> : null}
      <p>{t('linkAgain')}</p>
    </section>
  );
}

export function SignedOutPage({ loggedOut }: { loggedOut: boolean }) {
  const { t } = useT();
  return (
    <section className="page signin">
      <h2>{t('signedOutTitle')}</h2>
      {loggedOut ? <p role="status">{t('loggedOut')}</p> : null}
      <p>{t('signedOutText')}</p>
    </section>
  );
}
