import type { Catalog } from '@/lib/i18n/catalog.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

export type CommentsKey = keyof typeof fr;
export const commentsCatalog: Catalog<CommentsKey> = { fr, en };
