import type { Catalog } from '@/lib/i18n/catalog.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

export type SpacesKey = keyof typeof fr;
export const spacesCatalog: Catalog<SpacesKey> = { fr, en };
