import { z } from 'zod';
import type { ConstraintMap } from '../../lib/forms/db-errors.ts';
import { safeUrlInput, translatedInput } from '../../lib/forms/fields.ts';
import { LOCALES } from '../../lib/i18n/locales.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';

/** The organization this deployment serves (the single `public.organization` row). */
export interface Organization {
  name: TranslatedText;
  description: TranslatedText;
  defaultLocale: string;
  availableLocales: string[];
  contactEmail: string | null;
  logoUrl: string | null;
  colors: { primary: string; secondary: string };
  termsOfService: TranslatedText;
  timeZone: string;
}

export const DEFAULT_COLORS = { primary: '#000091', secondary: '#e1000f' } as const;

/** What pages show when the row is missing (a fresh database before the seed) or unreadable. */
export const FALLBACK_ORGANIZATION: Organization = {
  name: { fr: 'Décidons', en: 'Décidons' },
  description: {},
  defaultLocale: 'fr',
  availableLocales: ['fr', 'en'],
  contactEmail: null,
  logoUrl: null,
  colors: { ...DEFAULT_COLORS },
  termsOfService: {},
  timeZone: 'Europe/Paris',
};

const color = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, { message: 'validation.color' })
  .transform((v) => v.toLowerCase());

/** The organization settings form (org admins). Limits mirror the organization migrations. */
export const updateOrganizationInput = z.object({
  name: translatedInput({ required: true, max: 200 }),
  description: translatedInput({ rich: true }),
  default_locale: z.enum(LOCALES, { message: 'validation.invalid_choice' }),
  contact_email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254)
    .nullish()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || z.email().safeParse(v).success, { message: 'validation.email' }),
  color_primary: color,
  color_secondary: color,
  logo_url: safeUrlInput,
  terms_of_service: translatedInput({ rich: true }),
  time_zone: z.string().trim().min(1).max(64),
});
export type UpdateOrganizationInput = z.infer<typeof updateOrganizationInput>;

export const ORGANIZATION_CONSTRAINTS: ConstraintMap = {
  organization_name_is_translated: { field: 'name', key: 'organization.validation.name_default_locale' },
  organization_locales: { field: 'default_locale', key: 'validation.invalid_choice' },
  organization_logo_url_safe: { field: 'logo_url', key: 'validation.safe_url' },
  organization_colors_valid: { field: 'color_primary', key: 'validation.color' },
  organization_tos_translated: { field: 'terms_of_service', key: 'validation.invalid' },
  organization_contact_email: { field: 'contact_email', key: 'validation.email' },
  organization_time_zone: { field: 'time_zone', key: 'organization.validation.time_zone' },
};
