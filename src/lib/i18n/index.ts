import { createTranslator, type Catalog, type Translator } from './catalog.ts';
import type { Locale } from './locales.ts';
import { en } from './messages/en.ts';
import { fr, type CommonKey } from './messages/fr.ts';

export * from './locales.ts';
export * from './catalog.ts';
export * from './translated.ts';
export * from './issues.ts';
export type { CommonKey };

/** The site-wide catalog every page uses; features add theirs with `useTranslations(locale, featureCatalog)`. */
export const commonCatalog: Catalog<CommonKey> = { fr, en };

/** `t` for a page: the common texts plus, optionally, one or more features' texts. */
export function useTranslations<K extends string = never>(locale: Locale, ...catalogs: Catalog<K>[]): Translator<CommonKey | K> {
  return createTranslator<CommonKey | K>(locale, commonCatalog, ...catalogs);
}
