import { useState } from 'react';
import type { Lang } from '../../shared/domain/index.ts';
import { t } from '../i18n/index.ts';

/** The station shell. The print workflow screens arrive with the station issues. */
export function App() {
  const [lang, setLang] = useState<Lang>('zh');
  return (
    <main lang={lang === 'zh' ? 'zh-CN' : 'en'}>
      <header>
        <h1>{lang === 'zh' ? '代发打单站' : 'Daifa print station'}</h1>
        <button type="button" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
          {lang === 'zh' ? 'English' : '中文'}
        </button>
      </header>
      <nav>
        <span>{t('batchPrint', lang)}</span> · <span>{t('returnWaybill', lang)}</span>
      </nav>
    </main>
  );
}
