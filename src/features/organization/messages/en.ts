import type { SameKeys } from '@/lib/i18n/catalog.ts';
import type { fr } from './fr.ts';

/** Texts of the organization settings and its public pages, in English: exactly the French keys. */
export const en = {
  'organization.admin.title': 'Organization settings',
  'organization.admin.intro': 'The name, presentation, appearance and terms of service of the platform.',
  'organization.field.name': 'Name of the organization',
  'organization.field.nameHint': 'Required in the default language.',
  'organization.field.description': 'Presentation',
  'organization.field.descriptionHint': 'Shown on the home page. Simple HTML accepted.',
  'organization.field.defaultLocale': 'Default language',
  'organization.field.defaultLocaleHint': "Used when a text does not exist in the visitor's language.",
  'organization.field.contactEmail': 'Contact email address',
  'organization.field.colorPrimary': 'Main colour',
  'organization.field.colorSecondary': 'Secondary colour',
  'organization.field.colorsHint': 'In the #RRGGBB format. Check the contrast with white (at least 4.5:1).',
  'organization.field.logoUrl': 'Logo address',
  'organization.field.logoUrlHint': 'An https://… address or a path on this site starting with /.',
  'organization.field.terms': 'Terms of service',
  'organization.field.termsHint': 'Simple HTML accepted. Published on the “Terms of service” page.',
  'organization.field.timeZone': 'Time zone',
  'organization.field.timeZoneHint': 'Such as Europe/Paris: decides on which day a phase starts.',
  'organization.admin.save': 'Save the settings',
  'organization.status.saved': 'The organization settings have been saved.',
  'organization.validation.name_default_locale': 'Enter the name in the default language.',
  'organization.validation.time_zone': 'Choose a known time zone, such as Europe/Paris.',
  'organization.terms.title': 'Terms of service',
  'organization.terms.empty': 'The terms of service have not been published yet.',
  'organization.terms.link': 'Terms of service',
} as const satisfies SameKeys<typeof fr>;
