import type { Catalog } from '@/lib/i18n/catalog.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

export type DebateKey = keyof typeof fr;
export const debatesCatalog: Catalog<DebateKey> = { fr, en };
