import type { Catalog } from '@/lib/i18n/catalog.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

export type BlogKey = keyof typeof fr;
export const blogCatalog: Catalog<BlogKey> = { fr, en };
