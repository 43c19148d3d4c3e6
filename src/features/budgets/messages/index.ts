import type { Catalog } from '@/lib/i18n/catalog.ts';
import { adminEn } from './admin.en.ts';
import { adminFr } from './admin.fr.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

/* One catalog for the feature, kept in two parts (participants', admins'); English has exactly the French keys. */
const frAll = { ...fr, ...adminFr };
const enAll = { ...en, ...adminEn };

export type BudgetsKey = keyof typeof frAll;
export const budgetsCatalog: Catalog<BudgetsKey> = { fr: frAll, en: enAll };
