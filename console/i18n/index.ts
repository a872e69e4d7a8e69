/**
 * The console's words: zh-CN first (the seed's own terms), English as a switch. Reason texts are not
 * repeated here: they live with the rules in shared/domain.
 */
import { create } from 'zustand';
import type { Lang } from '../../shared/domain/reasons.ts';
import { WORDS, type WordKey } from './words.ts';

interface LangState {
  lang: Lang;
  setLang(lang: Lang): void;
}

const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('daifa.lang') : null;

export const useLang = create<LangState>((set) => ({
  lang: saved === 'en' ? 'en' : 'zh',
  setLang(lang) {
    localStorage.setItem('daifa.lang', lang);
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    set({ lang });
  },
}));

export type T = (key: WordKey, vars?: Record<string, string | number>) => string;

export function translate(lang: Lang, key: WordKey, vars?: Record<string, string | number>): string {
  let s: string = WORDS[key][lang === 'zh' ? 0 : 1];
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}

export function useT(): { t: T; lang: Lang } {
  const lang = useLang((s) => s.lang);
  return { t: (key, vars) => translate(lang, key, vars), lang };
}

export type { WordKey };
