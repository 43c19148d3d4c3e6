import type { Catalog } from '@/lib/i18n/catalog.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

export type AttachmentsKey = keyof typeof fr;
export const attachmentsCatalog: Catalog<AttachmentsKey> = { fr, en };
