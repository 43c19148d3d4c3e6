import type { Catalog } from '@/lib/i18n/catalog.ts';
import { adminEn } from './admin.en.ts';
import { adminFr } from './admin.fr.ts';
import { detailEn } from './detail.en.ts';
import { draftsEn } from './drafts.en.ts';
import { draftsFr } from './drafts.fr.ts';
import { detailFr } from './detail.fr.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';
import { listEn } from './list.en.ts';
import { listFr } from './list.fr.ts';
import { mapEn } from './map.en.ts';
import { mapFr } from './map.fr.ts';
import { moderationEn } from './moderation.en.ts';
import { moderationFr } from './moderation.fr.ts';

/*
 * One catalog for the feature, kept in parts (shared, list, proposal page, admin, map, moderation queue) so that
 * each part's texts sit next to each other; the English parts have exactly the French keys.
 */
const frAll = { ...fr, ...listFr, ...detailFr, ...adminFr, ...mapFr, ...moderationFr, ...draftsFr };
const enAll = { ...en, ...listEn, ...detailEn, ...adminEn, ...mapEn, ...moderationEn, ...draftsEn };

export type ProposalsKey = keyof typeof frAll;
export const proposalsCatalog: Catalog<ProposalsKey> = { fr: frAll, en: enAll };
