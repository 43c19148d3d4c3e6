import type { Catalog } from '@/lib/i18n/catalog.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

export type SearchKey = keyof typeof fr;
export const searchCatalog: Catalog<SearchKey> = { fr, en };
