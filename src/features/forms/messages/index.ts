import type { Catalog } from '@/lib/i18n/catalog.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

export type FormsKey = keyof typeof fr;
export const formsCatalog: Catalog<FormsKey> = { fr, en };
