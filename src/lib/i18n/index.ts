import { createTranslator, type Catalog, type Translator } from './catalog.ts';
import type { Locale } from './locales.ts';
import { en } from './messages/en.ts';
import { fr, type CommonKey } from './messages/fr.ts';

export * from './locales.ts';
export * from './catalog.ts';
export * from './translated.ts';
export * from './issues.ts';
export * from './plural.ts';
export * from './dates.ts';
export type { CommonKey };

/** The site-wide catalog every page uses; features add theirs with `useTranslations(locale, featureCatalog)`. */
export const commonCatalog: Catalog<CommonKey> = { fr, en };

/** The keys of a catalog. */
export type CatalogKey<C> = C extends Catalog<infer K> ? K : never;

/** `t` for a page: the common texts plus, optionally, one or more features' texts (keys of all of them). */
export function useTranslations<C extends Catalog<string>[] = []>(locale: Locale, ...catalogs: C): Translator<CommonKey | CatalogKey<C[number]>> {
  return createTranslator<CommonKey | CatalogKey<C[number]>>(locale, commonCatalog, ...catalogs);
}
