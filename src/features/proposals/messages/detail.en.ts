import type { SameKeys } from '../../../lib/i18n/catalog.ts';
import type { detailFr } from './detail.fr.ts';

/** Texts of the proposals feature (detail part), in English: exactly the French keys. */
export const detailEn = {
  'proposals.detail.placeholder': '—',
} as const satisfies SameKeys<typeof detailFr>;
