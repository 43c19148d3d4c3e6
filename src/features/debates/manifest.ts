import { defineManifest } from '../../lib/components/manifest.ts';
import { readSettings } from '../../lib/components/settings.ts';
import { debatesNotificationKinds } from './notifications.ts';

/**
 * `debates`: questions opened to deliberation (Decidim's decidim-debates), live. The organization
 * opens official debates (open-ended, or timed with a start and an end); participants open theirs
 * where the active phase allows it. People argue for, against or neutrally (comments with an
 * alignment, shown side by side), take one position each, like, follow and report; the author or
 * the organization closes a debate with conclusions. The gating of each action is the same as the
 * feature's rows in `public.component_actions`; every rule is the database's
 * (`…030000_debates.sql`), the forms only explain it.
 */
export const debatesManifest = defineManifest({
  key: 'debates',
  icon: 'M4 5h11v8H8l-4 3zM15 9h5v8l-3-2h-6v-2',
  name: { fr: 'Débats', en: 'Debates' },
  description: {
    fr: 'Une question ouverte à la délibération : chacun argumente pour ou contre, en direct ; l’organisation conclut.',
    en: 'A question open to deliberation: people argue for or against, live; the organization concludes.',
  },
  actions: [
    { name: 'create', label: { fr: 'Ouvrir un débat', en: 'Open a debate' }, phaseEnabledSetting: 'creation_enabled' },
    { name: 'comment', label: { fr: 'Argumenter', en: 'Argue' }, globalEnabledSetting: 'comments_enabled', phaseBlockedSetting: 'comments_blocked' },
    { name: 'like', label: { fr: 'Aimer', en: 'Like' }, phaseEnabledSetting: 'likes_enabled', phaseBlockedSetting: 'likes_blocked' },
  ],
  settings: {
    global: {
      comments_enabled: { type: 'boolean', default: true, label: { fr: 'Arguments (commentaires) activés', en: 'Arguments (comments) enabled' } },
      comments_max_length: {
        type: 'integer', default: 1000, min: 1, max: 10000,
        label: { fr: 'Longueur maximale d’un argument (caractères)', en: 'Maximum length of an argument (characters)' },
      },
      edit_time_minutes: {
        type: 'integer', default: 60, min: 1, max: 525600,
        label: { fr: 'Délai de modification par l’auteur (minutes)', en: 'Editing window for authors (minutes)' },
        hint: {
          fr: 'Après ce délai, l’auteur d’un débat ne peut plus le modifier (il peut toujours le clore ou le retirer).',
          en: 'After this, a debate’s author can no longer edit it (they can still close or withdraw it).',
        },
      },
      announcement: {
        type: 'translated', rich: true, maxLength: 5000,
        label: { fr: 'Annonce', en: 'Announcement' },
        hint: { fr: 'Affichée en haut de la liste, quelle que soit la phase.', en: 'Shown above the list, whatever the phase.' },
      },
    },
    phase: {
      creation_enabled: {
        type: 'boolean', default: false,
        label: { fr: 'Les participant·es ouvrent des débats', en: 'Participants open debates' },
      },
      comments_blocked: {
        type: 'boolean', default: false,
        label: { fr: 'Arguments bloqués pendant cette phase', en: 'Arguments blocked during this phase' },
      },
      likes_enabled: { type: 'boolean', default: true, label: { fr: '« J’aime » activés', en: 'Likes enabled' } },
      likes_blocked: { type: 'boolean', default: false, label: { fr: '« J’aime » bloqués', en: 'Likes blocked' } },
      announcement: {
        type: 'translated', rich: true, maxLength: 5000,
        label: { fr: 'Annonce pendant cette phase', en: 'Announcement during this phase' },
      },
    },
  },
  notifications: debatesNotificationKinds,
  resources: [
    {
      type: 'debate',
      can: ['commentable', 'likeable', 'followable', 'reportable', 'versioned', 'moderated', 'logged', 'exported'],
      path: (id) => `debates/${id}`,
      // In the one search (…040200_debates_search.sql).
      search: { label: { fr: 'Débats', en: 'Debates' } },
    },
  ],
  openData: [
    {
      key: 'debates',
      label: { fr: 'Débats', en: 'Debates' },
      hint: {
        fr: 'Tous les débats visibles, avec leur état, leurs dates, le nombre d’arguments pour, contre et neutres, et les conclusions.',
        en: 'Every visible debate, with its state, dates, the number of arguments for, against and neutral, and the conclusions.',
      },
      load: () => import('./open-data.server.ts'),
    },
  ],
  logLabels: { debates: { fr: 'Débat officiel', en: 'Official debate' } },
  moderation: {
    key: 'debates',
    hideAction: 'debatesAdmin.hideDebate',
    anchor: (id) => `#moderation-debate-${id}`,
    section: () => import('./admin/ModerationQueue.astro'),
  },
  accountSection: { key: 'debates-presence', load: () => import('./account-section.server.ts') },
  stats: [
    {
      key: 'debates',
      label: { fr: 'Débats', en: 'Debates' },
      count: async (tx, ids) => {
        const [row] = await tx<{ n: number }[]>`
          select count(*)::int as n from public.debates
          where component_id = any(${ids as string[]}::uuid[]) and hidden_at is null and withdrawn_at is null`;
        return row?.n ?? 0;
      },
    },
  ],
  publicPage: () => import('./PublicPage.astro'),
  adminPage: () => import('./admin/AdminPage.astro'),
});

export const readDebatesSettings = (stored: unknown) => readSettings(debatesManifest.settings.global, stored);
export const readDebatesPhaseSettings = (stored: unknown) => readSettings(debatesManifest.settings.phase, stored);
export type DebatesSettings = ReturnType<typeof readDebatesSettings>;
export type DebatesPhaseSettings = ReturnType<typeof readDebatesPhaseSettings>;
