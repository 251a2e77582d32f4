/**
 * Thai first, English second. Labels are written inline as tr('ไทย', 'English') next to where
 * they are used, so a screen reads in both languages without a key catalogue to keep in step.
 */
import { formatDate, formatDateTime } from '../domain/dates.ts';
import type { Option } from '../domain/options.ts';

export type Lang = 'th' | 'en';

const STORAGE_KEY = 'care-field.lang';

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'th';
  } catch {
    return 'th';
  }
}

export const i18n = $state<{ lang: Lang }>({ lang: typeof localStorage === 'undefined' ? 'th' : initialLang() });

export function setLang(lang: Lang) {
  i18n.lang = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* private mode: the choice lasts for this tab only */
  }
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

export function tr(th: string, en: string): string {
  return i18n.lang === 'th' ? th : en;
}

export function label(option: Option | undefined): string {
  return option ? option[i18n.lang] : '';
}

export const date = (iso: string | undefined) => formatDate(iso, i18n.lang);
export const dateTime = (iso: string | undefined) => formatDateTime(iso, i18n.lang);
