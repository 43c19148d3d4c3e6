import type { Catalog } from '@/lib/i18n/catalog.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

export type PagesKey = keyof typeof fr;
export const pagesCatalog: Catalog<PagesKey> = { fr, en };
