import type { TranslatedText } from '../../lib/i18n/translated.ts';

/** The organization this deployment serves (the single `public.organization` row). */
export interface Organization {
  name: TranslatedText;
  description: TranslatedText;
  defaultLocale: string;
  availableLocales: string[];
  contactEmail: string | null;
}

/** What pages show when the row is missing (a fresh database before the seed) or unreadable. */
export const FALLBACK_ORGANIZATION: Organization = {
  name: { fr: 'Décidons', en: 'Décidons' },
  description: {},
  defaultLocale: 'fr',
  availableLocales: ['fr', 'en'],
  contactEmail: null,
};
