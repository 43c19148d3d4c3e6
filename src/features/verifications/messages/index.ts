import type { Catalog } from '@/lib/i18n/catalog.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

export type VerificationsKey = keyof typeof fr;
export const verificationsCatalog: Catalog<VerificationsKey> = { fr, en };
