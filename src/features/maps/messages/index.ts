import type { Catalog } from '@/lib/i18n/catalog.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

export type MapsKey = keyof typeof fr;
export const mapsCatalog: Catalog<MapsKey> = { fr, en };
