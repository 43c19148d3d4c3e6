import { defineManifest } from '../../lib/components/manifest.ts';

/**
 * `pages`: one static rich-text page per component (Decidim's decidim-pages). Admins write the
 * page; participants comment on it (the `comment` action, enabled globally, blockable per phase);
 * an announcement shown above the page, globally and per phase.
 */
export const pagesManifest = defineManifest({
  key: 'pages',
  icon: 'M6 3h9l4 4v14H6zM14 3v5h5M9 12h7M9 16h7',
  name: { fr: 'Page', en: 'Page' },
  description: {
    fr: 'Une page de contenu riche : présentation, règlement, foire aux questions…',
    en: 'A rich-text page: presentation, rules, frequently asked questions…',
  },
  actions: [
    {
      name: 'comment',
      label: { fr: 'Commenter', en: 'Comment' },
      globalEnabledSetting: 'comments_enabled',
      phaseBlockedSetting: 'comments_blocked',
    },
  ],
  settings: {
    global: {
      comments_enabled: {
        type: 'boolean',
        default: true,
        label: { fr: 'Commentaires activés', en: 'Comments enabled' },
      },
      comments_max_length: {
        type: 'integer',
        default: 1000,
        min: 1,
        max: 10000,
        label: { fr: 'Longueur maximale des commentaires (caractères)', en: 'Maximum length of comments (characters)' },
      },
      alignment_enabled: {
        type: 'boolean',
        default: false,
        label: { fr: 'Position dans les commentaires (pour, neutre, contre)', en: 'Stance in comments (in favour, neutral, against)' },
      },
      announcement: {
        type: 'translated',
        rich: true,
        maxLength: 5000,
        label: { fr: 'Annonce', en: 'Announcement' },
        hint: {
          fr: 'Affichée en haut de la page, quelle que soit la phase. HTML simple accepté (paragraphes, gras, liens).',
          en: 'Shown at the top of the page, whatever the phase. Simple HTML accepted (paragraphs, bold, links).',
        },
      },
    },
    phase: {
      comments_blocked: {
        type: 'boolean',
        default: false,
        label: { fr: 'Commentaires bloqués pendant cette phase', en: 'Comments blocked during this phase' },
        hint: {
          fr: 'Les commentaires restent visibles, mais personne ne peut en ajouter.',
          en: 'Comments stay visible, but nobody can add any.',
        },
      },
      announcement: {
        type: 'translated',
        rich: true,
        maxLength: 5000,
        label: { fr: 'Annonce pendant cette phase', en: 'Announcement during this phase' },
        hint: {
          fr: 'Affichée en haut de la page tant que cette phase est active.',
          en: 'Shown at the top of the page while this phase is active.',
        },
      },
    },
  },
  resources: [
    { type: 'page', can: ['commentable', 'followable', 'attachable', 'logged'], search: { label: { fr: 'Pages', en: 'Pages' } } },
  ],
  logLabels: { pages: { fr: 'Contenu de page', en: 'Page content' } },
  stats: [
    {
      key: 'pages',
      label: { fr: 'Pages', en: 'Pages' },
      count: async (tx, ids) => {
        const [row] = await tx<{ n: number }[]>`
          select count(*)::int as n from public.components
          where feature = 'pages' and published_at is not null and id = any(${ids as string[]}::uuid[])`;
        return row?.n ?? 0;
      },
    },
  ],
  publicPage: () => import('./PublicPage.astro'),
  adminPage: () => import('./AdminPage.astro'),
});
