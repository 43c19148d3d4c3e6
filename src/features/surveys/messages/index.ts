import type { Catalog } from '@/lib/i18n/catalog.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

export type SurveyKey = keyof typeof fr;
export const surveysCatalog: Catalog<SurveyKey> = { fr, en };
