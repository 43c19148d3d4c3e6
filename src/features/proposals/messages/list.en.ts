import type { SameKeys } from '../../../lib/i18n/catalog.ts';
import type { listFr } from './list.fr.ts';

/** Texts of the proposals feature (list part), in English: exactly the French keys. */
export const listEn = {
  'proposals.list.placeholder': '—',
} as const satisfies SameKeys<typeof listFr>;
