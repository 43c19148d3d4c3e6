import type { Catalog } from '@/lib/i18n/catalog.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

export type TaxonomiesKey = keyof typeof fr;
export const taxonomiesCatalog: Catalog<TaxonomiesKey> = { fr, en };
