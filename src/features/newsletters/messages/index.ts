import type { Catalog } from '../../../lib/i18n/catalog.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

export type NewslettersKey = keyof typeof fr;
export const newslettersCatalog: Catalog<NewslettersKey> = { fr, en };
