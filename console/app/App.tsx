/**
 * The console shell: who is signed in, the navigation of their role, and the page of the path.
 * A merchant and a factory each see their own screens; a shop without a role first chooses one.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { ENDPOINTS } from '../../shared/api/endpoints.ts';
import type { SessionView } from '../../shared/api/session.ts';
import { send, setCsrfToken, type CallError } from '../api/hub.ts';
import { useLang, useT, type WordKey } from '../i18n/index.ts';
import { useRoute } from './router.ts';
import { LoginPage, SignedOutPage } from '../features/session/SessionPages.tsx';
import { RolePage } from '../features/roles/RolePage.tsx';
import { FactoriesPage } from '../features/merchant/FactoriesPage.tsx';
import { OrdersPage } from '../features/merchant/OrdersPage.tsx';
import { ShipPage } from '../features/merchant/ShipPage.tsx';
import { ReturnAddressesPage } from '../features/merchant/ReturnAddressesPage.tsx';
import { StatementsPage } from '../features/merchant/StatementsPage.tsx';
import { RiskPage } from '../features/merchant/RiskPage.tsx';
import { MerchantsPage } from '../features/factory/MerchantsPage.tsx';
import { FactoryOrdersPage } from '../features/factory/FactoryOrdersPage.tsx';
import { PricesPage } from '../features/factory/PricesPage.tsx';
import { StationsPage } from '../features/factory/StationsPage.tsx';
import { FactoryStatementsPage } from '../features/factory/FactoryStatementsPage.tsx';

interface NavItem {
  path: string;
  label: WordKey;
  page: (session: SessionView, refresh: () => void) => ReactNode;
}

const ROLE: NavItem = {
  path: '/role',
  label: 'navRole',
  page: (s, refresh) => <RolePage session={s} onSaved={refresh} />,
};

const MERCHANT_NAV: NavItem[] = [
  ROLE,
  { path: '/merchant/factories', label: 'navFactories', page: () => <FactoriesPage /> },
  { path: '/merchant/orders', label: 'navOrders', page: () => <OrdersPage /> },
  { path: '/merchant/ship', label: 'navShip', page: () => <ShipPage /> },
  { path: '/merchant/return-addresses', label: 'navReturnAddresses', page: () => <ReturnAddressesPage /> },
  { path: '/merchant/statements', label: 'navStatements', page: () => <StatementsPage /> },
  { path: '/merchant/risk', label: 'navRisk', page: () => <RiskPage /> },
];

const FACTORY_NAV: NavItem[] = [
  ROLE,
  { path: '/factory/merchants', label: 'navMerchants', page: () => <MerchantsPage /> },
  { path: '/factory/orders', label: 'navOrders', page: () => <FactoryOrdersPage /> },
  { path: '/factory/prices', label: 'navPrices', page: () => <PricesPage /> },
  { path: '/factory/stations', label: 'navStations', page: () => <StationsPage /> },
  { path: '/factory/statements', label: 'navStatements', page: () => <FactoryStatementsPage /> },
];

function navOf(session: SessionView): NavItem[] {
  return session.role === 'merchant' ? MERCHANT_NAV : session.role === 'factory' ? FACTORY_NAV : [ROLE];
}

type SessionState =
  | { kind: 'loading' }
  | { kind: 'signedOut'; loggedOut?: boolean }
  | { kind: 'signedIn'; session: SessionView }
  | { kind: 'error'; error: CallError };

export function App() {
  const { t, lang } = useT();
  const setLang = useLang((s) => s.setLang);
  const { path, navigate } = useRoute();
  const [state, setState] = useState<SessionState>({ kind: 'loading' });

  const loadSession = async () => {
    const r = await send(ENDPOINTS.getSession, {});
    if (r.data) {
      setCsrfToken(r.data.session.csrfToken);
      setState({ kind: 'signedIn', session: r.data.session });
    } else if (r.error.status === 401) setState({ kind: 'signedOut' });
    else setState({ kind: 'error', error: r.error });
  };

  useEffect(() => {
    if (path !== '/login') void loadSession();
    // Only on the first load: signing in and out set the state themselves.
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('appTitle');
  }, [lang, t]);

  const langButton = (
    <button type="button" className="lang" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
      {t('switchLang')}
    </button>
  );

  if (path === '/login') {
    return (
      <Shell header={langButton}>
        <LoginPage
          onSignedIn={(session) => {
            setCsrfToken(session.csrfToken);
            setState({ kind: 'signedIn', session });
            navigate(navOf(session)[session.role ? 1 : 0]!.path, { replace: true });
          }}
        />
      </Shell>
    );
  }
  if (state.kind === 'loading') return <Shell header={langButton}>{t('loading')}</Shell>;
  if (state.kind === 'signedOut') {
    return (
      <Shell header={langButton}>
        <SignedOutPage loggedOut={state.loggedOut ?? false} />
      </Shell>
    );
  }
  if (state.kind === 'error') {
    return (
      <Shell header={langButton}>
        <div role="alert" className="error">
          {state.error.message}
        </div>
      </Shell>
    );
  }

  const session = state.session;
  const nav = navOf(session);
  const current = nav.find((n) => n.path === path) ?? nav[session.role ? 1 : 0]!;
  const logout = async () => {
    await send(ENDPOINTS.deleteSession, {});
    setCsrfToken(null);
    setState({ kind: 'signedOut', loggedOut: true });
  };
  const roleWord = session.role === 'merchant' ? t('roleMerchant') : session.role === 'factory' ? t('roleFactory') : '';

  return (
    <Shell
      header={
        <>
          <span className="who">
            {session.shopName} · {t('shopId')} {session.shopId}
            {roleWord ? ` · ${roleWord}` : ''}
          </span>
          {langButton}
          <button type="button" onClick={() => void logout()}>
            {t('logout')}
          </button>
        </>
      }
    >
      <div className="layout">
        <nav aria-label={t('appTitle')}>
          <ul>
            {nav.map((n) => (
              <li key={n.path}>
                <a
                  href={n.path}
                  aria-current={n === current ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(n.path);
                  }}
                >
                  {t(n.label)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main key={current.path}>{current.page(session, () => void loadSession())}</main>
      </div>
    </Shell>
  );
}

function Shell({ header, children }: { header: ReactNode; children: ReactNode }) {
  const { t } = useT();
  return (
    <div className="shell">
      <header className="top">
        <h1>{t('appTitle')}</h1>
        <div className="top-actions">{header}</div>
      </header>
      {children}
    </div>
  );
}
