// Simplified Chinese and English (the lab comes from a Chinese university course), chosen from the
// system locale and switchable. Strings live in assets/locales/, one file per language.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from '../assets/locales/en.json';
import zh from '../assets/locales/zh-CN.json';

export const LANGUAGES = { en: 'English', 'zh-CN': '简体中文' } as const;
export type Lang = keyof typeof LANGUAGES;

export function systemLanguage(langs: readonly string[] = typeof navigator !== 'undefined' ? navigator.languages : []): Lang {
  // A ?lang= in the URL wins (tests, and sharing a link in a given language).
  const forced = typeof location !== 'undefined' ? new URLSearchParams(location.search).get('lang') : null;
  if (forced === 'en' || forced === 'zh-CN') return forced;
  return langs.some((l) => l.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en';
}

export function initI18n(lng: Lang = systemLanguage()) {
  void i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, 'zh-CN': { translation: zh } },
    lng,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
  });
  return i18next;
}
