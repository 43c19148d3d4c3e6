import type { Catalog } from '@/lib/i18n/catalog.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

export type AccountsKey = keyof typeof fr;
export const accountsCatalog: Catalog<AccountsKey> = { fr, en };
