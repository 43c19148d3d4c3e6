import type { Labels } from '../../lib/components/settings.ts';

/** How the action log names the newsletters' rows (its `newsletters_log` trigger). */
export const newslettersLogLabels: Readonly<Record<string, Labels>> = {
  newsletters: { fr: 'Lettre d’information', en: 'Newsletter' },
};
