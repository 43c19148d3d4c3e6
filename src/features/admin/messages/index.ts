import type { Catalog } from '@/lib/i18n/catalog.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

export type AdminKey = keyof typeof fr;
export const adminCatalog: Catalog<AdminKey> = { fr, en };
