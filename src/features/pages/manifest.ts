import { defineManifest } from '../components/components.ts';

/**
 * `pages`: one static rich-text page per component (Decidim's decidim-pages). No actions (nobody
 * but admins writes anything); an announcement shown above the page, globally and per phase.
 */
export const pagesManifest = defineManifest({
  key: 'pages',
  icon: 'M6 3h9l4 4v14H6zM14 3v5h5M9 12h7M9 16h7',
  name: { fr: 'Page', en: 'Page' },
  description: {
    fr: 'Une page de contenu riche : présentation, règlement, foire aux questions…',
    en: 'A rich-text page: presentation, rules, frequently asked questions…',
  },
  actions: [],
  settings: {
    global: {
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
