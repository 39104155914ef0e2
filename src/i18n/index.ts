/** i18next set-up shared by the browser app and the Node CLI. */
import i18next, { type i18n } from 'i18next';
import { LANGUAGES, NAMESPACES, resources, type Language } from './resources.ts';

export { LANGUAGES, type Language };

/** A fresh i18next instance with every resource loaded (no network, no detector). */
export async function createI18n(lng: Language = 'ko'): Promise<i18n> {
  const inst = i18next.createInstance();
  await inst.init({
    lng,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    ns: [...NAMESPACES],
    defaultNS: 'ui',
    resources: resources as unknown as Record<string, Record<string, Record<string, unknown>>>,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return inst;
}

/** Picks ko or en from a BCP-47 tag list (navigator.languages, LANG), defaulting to en. */
export function pickLanguage(tags: readonly string[]): Language {
  for (const t of tags) {
    const base = t.toLowerCase().split(/[-_]/)[0];
    if (base === 'ko' || base === 'en') return base;
  }
  return 'en';
}
