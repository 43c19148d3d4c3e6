import type { Catalog } from '../../../lib/i18n/catalog.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';

export type NotificationsKey = keyof typeof fr;
export const notificationsCatalog: Catalog<NotificationsKey> = { fr, en };
