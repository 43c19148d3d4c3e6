import type { Catalog } from '@/lib/i18n/catalog.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

export type ComponentsKey = keyof typeof fr;
export const componentsCatalog: Catalog<ComponentsKey> = { fr, en };
