import type { Catalog } from '@/lib/i18n/catalog.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

export type OrganizationKey = keyof typeof fr;
export const organizationCatalog: Catalog<OrganizationKey> = { fr, en };
