import type { SameKeys } from '@/lib/i18n/catalog.ts';
import type { fr } from './fr.ts';

/** Texts of the pages feature, in English: exactly the French keys. */
export const en = {
  'pages.empty': 'This page has no content yet.',
  'pages.updatedAt': 'Updated on {date}',
  'pages.announcement': 'Announcement',
  'pages.admin.title': 'Page content',
  'pages.admin.intro':
    'The content accepts simple HTML: paragraphs (<p>), headings (<h2>, <h3>), bold, italics, lists, quotes and links. Everything else (scripts, styles, attributes) is removed when saving.',
  'pages.admin.body': 'Content ({language})',
  'pages.admin.submit': 'Save the content',
  'pages.admin.view': 'View the page',
} as const satisfies SameKeys<typeof fr>;
