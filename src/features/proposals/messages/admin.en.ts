import type { SameKeys } from '../../../lib/i18n/catalog.ts';
import type { adminFr } from './admin.fr.ts';

/** Texts of the proposals feature (admin part), in English: exactly the French keys. */
export const adminEn = {
  'proposals.admin.placeholder': '—',
} as const satisfies SameKeys<typeof adminFr>;
