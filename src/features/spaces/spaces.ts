import { z } from 'zod';
import type { Claims } from '../../lib/db/index.ts';
import type { ConstraintMap } from '../../lib/forms/db-errors.ts';
import { dateInput, formString, optionalText, safeUrlInput, translatedInput, uuidInput } from '../../lib/forms/fields.ts';
import { formatCalendarDate } from '../../lib/i18n/dates.ts';
import type { Translator } from '../../lib/i18n/catalog.ts';
import type { Locale } from '../../lib/i18n/locales.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';

/*
 * Participatory spaces: processes (with ordered phases, exactly one active) and assemblies
 * (permanent bodies, possibly nested), both in `public.spaces` with a `kind`. Limits mirror
 * supabase/migrations/20261126001000_core_spaces.sql so the form says no before the database does;
 * the database still has the last word (its constraint names map to fields below).
 */

export const SPACE_KINDS = ['process', 'assembly'] as const;
export type SpaceKind = (typeof SPACE_KINDS)[number];

/** URL segment of each kind: `/fr/processes/<slug>`, `/fr/assemblies/<slug>`. */
export const KIND_SEGMENT: Readonly<Record<SpaceKind, string>> = { process: 'processes', assembly: 'assemblies' };

/** The kind a URL segment names (`processes` → process), or undefined for any other segment. */
export function kindOfSegment(segment: string | undefined): SpaceKind | undefined {
  return SPACE_KINDS.find((k) => KIND_SEGMENT[k] === segment);
}

export function spaceHref(locale: Locale, kind: SpaceKind, slug: string): string {
  return `/${locale}/${KIND_SEGMENT[kind]}/${slug}`;
}

export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const SLUG_MAX = 80;
export const TITLE_MAX = 500;
export const SHORT_TEXT_MAX = 5000;
export const ASSEMBLY_TYPE_MAX = 100;
export const CTA_TEXT_MAX = 100;
export const SPACE_ROLES = ['admin', 'moderator', 'collaborator', 'evaluator'] as const;
export type SpaceRole = (typeof SPACE_ROLES)[number];

const slug = z
  .string({ error: (i) => (i.code !== 'invalid_type' ? undefined : i.input == null ? 'validation.required' : 'validation.invalid_type') })
  .trim()
  .toLowerCase()
  .min(1)
  .max(SLUG_MAX)
  .regex(SLUG_PATTERN, { message: 'spaces.validation.slug_format' });

const bool = z.boolean().default(false);
const taxonomyIds = z.array(uuidInput).max(200).default([]);

/** The end date of a span must not be before its start (field error on the end date). */
function datesOrdered<T extends { start_date: string | null; end_date: string | null }>(v: T, ctx: z.RefinementCtx) {
  if (v.start_date && v.end_date && v.end_date < v.start_date) {
    ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'spaces.validation.end_before_start' });
  }
}

const commonSpaceFields = {
  slug,
  title: translatedInput({ required: true, max: TITLE_MAX }),
  subtitle: translatedInput({ max: TITLE_MAX }),
  short_description: translatedInput({ max: SHORT_TEXT_MAX, rich: true }),
  description: translatedInput({ rich: true }),
  hero_image_url: safeUrlInput,
  promoted: bool,
  private: bool,
  taxonomies: taxonomyIds,
};

export const processFields = z
  .object({ ...commonSpaceFields, start_date: dateInput, end_date: dateInput })
  .superRefine(datesOrdered);
export type ProcessFields = z.infer<typeof processFields>;

export const createProcessInput = processFields;
export const updateProcessInput = z
  .object({ space_id: uuidInput, ...commonSpaceFields, start_date: dateInput, end_date: dateInput })
  .superRefine(datesOrdered);
export type UpdateProcessInput = z.infer<typeof updateProcessInput>;

const assemblyOnly = {
  purpose: translatedInput({ rich: true }),
  composition: translatedInput({ rich: true }),
  assembly_type: optionalText(ASSEMBLY_TYPE_MAX),
  parent_id: uuidInput.nullish().transform((v) => v ?? null),
};

export const createAssemblyInput = z.object({ ...commonSpaceFields, ...assemblyOnly });
export type AssemblyFields = z.infer<typeof createAssemblyInput>;
export const updateAssemblyInput = z.object({ space_id: uuidInput, ...commonSpaceFields, ...assemblyOnly });
export type UpdateAssemblyInput = z.infer<typeof updateAssemblyInput>;

export const spaceRefInput = z.object({ space_id: uuidInput });
export type SpaceRefInput = z.infer<typeof spaceRefInput>;

export const publishSpaceInput = z.object({ space_id: uuidInput, publish: z.enum(['true', 'false']).transform((v) => v === 'true') });
export type PublishSpaceInput = z.infer<typeof publishSpaceInput>;

export const deleteSpaceInput = z.object({ space_id: uuidInput, confirm_slug: z.string().trim().min(1).max(SLUG_MAX) });
export type DeleteSpaceInput = z.infer<typeof deleteSpaceInput>;

const phaseFields = {
  title: translatedInput({ required: true, max: TITLE_MAX }),
  description: translatedInput({ rich: true }),
  start_date: dateInput,
  end_date: dateInput,
  cta_text: translatedInput({ max: CTA_TEXT_MAX }),
  cta_path: safeUrlInput,
};
export const addPhaseInput = z.object({ space_id: uuidInput, ...phaseFields }).superRefine(datesOrdered);
export type AddPhaseInput = z.infer<typeof addPhaseInput>;
export const updatePhaseInput = z.object({ phase_id: uuidInput, ...phaseFields }).superRefine(datesOrdered);
export type UpdatePhaseInput = z.infer<typeof updatePhaseInput>;
export const phaseRefInput = z.object({ phase_id: uuidInput });
export type PhaseRefInput = z.infer<typeof phaseRefInput>;
export const movePhaseInput = z.object({ phase_id: uuidInput, direction: z.enum(['up', 'down'], { message: 'validation.invalid_choice' }) });
export type MovePhaseInput = z.infer<typeof movePhaseInput>;

export const grantRoleInput = z.object({
  space_id: uuidInput,
  identifier: z.string().trim().min(1).max(320),
  role: z.enum(SPACE_ROLES, { message: 'validation.invalid_choice' }),
});
export type GrantRoleInput = z.infer<typeof grantRoleInput>;
export const revokeRoleInput = z.object({ space_id: uuidInput, user_id: uuidInput, role: z.enum(SPACE_ROLES) });
export type RevokeRoleInput = z.infer<typeof revokeRoleInput>;

export const inviteMemberInput = z.object({
  space_id: uuidInput,
  email: z.string().trim().toLowerCase().min(1).max(254).pipe(z.email({ message: 'validation.email' })),
});
export type InviteMemberInput = z.infer<typeof inviteMemberInput>;
export const removeMemberInput = z.object({ space_id: uuidInput, user_id: uuidInput });
export type RemoveMemberInput = z.infer<typeof removeMemberInput>;

/** Database constraints of spaces and phases, as the form fields they are about. */
export const SPACE_CONSTRAINTS: ConstraintMap = {
  spaces_slug_unique: { field: 'slug', key: 'spaces.validation.slug_taken' },
  spaces_slug_format: { field: 'slug', key: 'spaces.validation.slug_format' },
  spaces_title_translated: { field: 'title', key: 'validation.required' },
  spaces_hero_image_url_safe: { field: 'hero_image_url', key: 'validation.safe_url' },
  spaces_dates_ordered: { field: 'end_date', key: 'spaces.validation.end_before_start' },
  spaces_parent_only_for_assemblies: { field: 'parent_id', key: 'spaces.validation.parent_invalid' },
  spaces_not_own_parent: { field: 'parent_id', key: 'spaces.validation.parent_cycle' },
  spaces_parent_is_assembly: { field: 'parent_id', key: 'spaces.validation.parent_invalid' },
  spaces_parent_no_cycle: { field: 'parent_id', key: 'spaces.validation.parent_cycle' },
  spaces_parent_id_fkey: { field: 'parent_id', key: 'validation.invalid_reference' },
  spaces_assembly_type_length: { field: 'assembly_type', key: 'validation.invalid' },
  space_taxonomies_taxonomy_id_fkey: { field: 'taxonomies', key: 'validation.invalid_reference' },
  space_taxonomies_pkey: { field: 'taxonomies', key: 'validation.invalid' },
};

export const PHASE_CONSTRAINTS: ConstraintMap = {
  phases_title_translated: { field: 'title', key: 'validation.required' },
  phases_dates_ordered: { field: 'end_date', key: 'spaces.validation.end_before_start' },
  phases_cta_path_safe: { field: 'cta_path', key: 'validation.safe_url' },
  phases_only_in_processes: { key: 'spaces.validation.phases_only_in_processes' },
  phases_exactly_one_active: { key: 'spaces.validation.one_active_phase' },
};

export const ROLE_CONSTRAINTS: ConstraintMap = {
  space_roles_pkey: { field: 'identifier', key: 'spaces.validation.role_exists' },
  space_members_pkey: { field: 'email', key: 'spaces.validation.member_exists' },
};

/*
 * Views.
 */

/** `spaces.hero_image`: the page's banner and the card's picture, in the bucket of the space's privacy. */
export interface SpaceHeroImage {
  bucket: 'attachments' | 'attachments-private';
  name: string;
  width: number;
  height: number;
  card?: { name: string; width: number; height: number };
}

export interface SpaceSummary {
  id: string;
  kind: SpaceKind;
  slug: string;
  title: TranslatedText;
  subtitle: TranslatedText;
  shortDescription: TranslatedText;
  heroImageUrl: string | null;
  /** An uploaded hero image (Storage), which wins over `heroImageUrl`. */
  heroImage: SpaceHeroImage | null;
  /** YYYY-MM-DD */
  startDate: string | null;
  endDate: string | null;
  promoted: boolean;
  published: boolean;
  private: boolean;
  assemblyType: string | null;
  /** Processes: the active phase's title and its position among the phases. */
  activePhase: { title: TranslatedText; position: number; count: number } | null;
}

export interface Phase {
  id: string;
  position: number;
  title: TranslatedText;
  description: TranslatedText;
  startDate: string | null;
  endDate: string | null;
  active: boolean;
  ctaText: TranslatedText;
  ctaPath: string | null;
}

export interface TaxonomyRef {
  id: string;
  name: TranslatedText;
}

export interface SpaceDetail extends SpaceSummary {
  description: TranslatedText;
  purpose: TranslatedText;
  composition: TranslatedText;
  parentId: string | null;
  taxonomies: TaxonomyRef[];
  /** True when the viewer may edit it (space admin or organization admin). */
  canAdmin: boolean;
}

export const PROCESS_FILTERS = ['active', 'upcoming', 'past', 'all'] as const;
export type ProcessFilter = (typeof PROCESS_FILTERS)[number];
export function isProcessFilter(v: unknown): v is ProcessFilter {
  return typeof v === 'string' && (PROCESS_FILTERS as readonly string[]).includes(v);
}

/**
 * Where a process stands on `today` (YYYY-MM-DD, the organization's time zone): upcoming before
 * its start, past after its end, active in between (and when it has no dates at all).
 */
export function processStatus(startDate: string | null, endDate: string | null, today: string): Exclude<ProcessFilter, 'all'> {
  if (startDate && startDate > today) return 'upcoming';
  if (endDate && endDate < today) return 'past';
  return 'active';
}

/** A date (YYYY-MM-DD) for people: "26 novembre 2026" / "November 26, 2026". */
export function formatDate(date: string | null, locale: Locale): string {
  // A calendar date has no time zone: formatted as written (the organization's zone decides
  // which day `today` is, in processStatus, not how a date reads).
  return formatCalendarDate(date, locale);
}

/** A span of dates in words ("from … to …", "from …", "until …"), or null without dates. */
export function dateSpan(
  t: Translator<'spaces.card.span' | 'spaces.card.from' | 'spaces.card.until'>,
  start: string | null,
  end: string | null,
): string | null {
  if (start && end) return t('spaces.card.span', { start: formatDate(start, t.locale), end: formatDate(end, t.locale) });
  if (start) return t('spaces.card.from', { start: formatDate(start, t.locale) });
  if (end) return t('spaces.card.until', { end: formatDate(end, t.locale) });
  return null;
}

/** What every space use case gets from the request. */
export interface SpaceContext {
  claims: Claims | null;
  userId: string | null;
  locale: Locale;
  siteUrl: string;
}

export function spaceContext(locals: App.Locals, siteUrl: string): SpaceContext {
  return { claims: locals.claims, userId: locals.user?.id ?? null, locale: locals.locale, siteUrl };
}

/** Statuses the space admin pages announce after a redirect (`?status=…`). */
export const SPACE_STATUSES = [
  'created',
  'saved',
  'published',
  'unpublished',
  'deleted',
  'phase-added',
  'phase-saved',
  'phase-deleted',
  'phase-moved',
  'phase-activated',
  'role-granted',
  'role-revoked',
  'member-added',
  'member-invited',
  'member-removed',
] as const;
export type SpaceStatus = (typeof SPACE_STATUSES)[number];
export function isSpaceStatus(v: unknown): v is SpaceStatus {
  return typeof v === 'string' && (SPACE_STATUSES as readonly string[]).includes(v);
}

/** What the space form shows: the stored values, or what was typed before a refusal. */
export interface SpaceFormValues {
  slug: string;
  title: Record<string, string>;
  subtitle: Record<string, string>;
  short_description: Record<string, string>;
  description: Record<string, string>;
  hero_image_url: string;
  start_date: string;
  end_date: string;
  promoted: boolean;
  private: boolean;
  taxonomies: string[];
  purpose: Record<string, string>;
  composition: Record<string, string>;
  assembly_type: string;
  parent_id: string;
}

export const SPACE_TRANSLATED_FIELDS = ['title', 'subtitle', 'short_description', 'description', 'purpose', 'composition'] as const;

const texts = (v: TranslatedText): Record<string, string> => Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));

export function spaceFormValues(space: SpaceDetail | null): SpaceFormValues {
  return {
    slug: space?.slug ?? '',
    title: texts(space?.title ?? {}),
    subtitle: texts(space?.subtitle ?? {}),
    short_description: texts(space?.shortDescription ?? {}),
    description: texts(space?.description ?? {}),
    hero_image_url: space?.heroImageUrl ?? '',
    start_date: space?.startDate ?? '',
    end_date: space?.endDate ?? '',
    promoted: space?.promoted ?? false,
    private: space?.private ?? false,
    taxonomies: space?.taxonomies.map((t) => t.id) ?? [],
    purpose: texts(space?.purpose ?? {}),
    composition: texts(space?.composition ?? {}),
    assembly_type: space?.assemblyType ?? '',
    parent_id: space?.parentId ?? '',
  };
}

export function spaceFormValuesFromForm(form: FormData, locales: readonly string[]): SpaceFormValues {
  const s = (name: string) => formString(form, name);
  const tr = (name: string) => Object.fromEntries(locales.map((l) => [l, s(`${name}.${l}`)]));
  return {
    slug: s('slug'),
    title: tr('title'),
    subtitle: tr('subtitle'),
    short_description: tr('short_description'),
    description: tr('description'),
    hero_image_url: s('hero_image_url'),
    start_date: s('start_date'),
    end_date: s('end_date'),
    promoted: form.has('promoted'),
    private: form.has('private'),
    taxonomies: form.getAll('taxonomies').filter((v): v is string => typeof v === 'string'),
    purpose: tr('purpose'),
    composition: tr('composition'),
    assembly_type: s('assembly_type'),
    parent_id: s('parent_id'),
  };
}

export interface PhaseFormValues {
  title: Record<string, string>;
  description: Record<string, string>;
  start_date: string;
  end_date: string;
  cta_text: Record<string, string>;
  cta_path: string;
}

export function phaseFormValues(phase: Phase | null): PhaseFormValues {
  return {
    title: texts(phase?.title ?? {}),
    description: texts(phase?.description ?? {}),
    start_date: phase?.startDate ?? '',
    end_date: phase?.endDate ?? '',
    cta_text: texts(phase?.ctaText ?? {}),
    cta_path: phase?.ctaPath ?? '',
  };
}

export function phaseFormValuesFromForm(form: FormData, locales: readonly string[]): PhaseFormValues {
  const s = (name: string) => formString(form, name);
  const tr = (name: string) => Object.fromEntries(locales.map((l) => [l, s(`${name}.${l}`)]));
  return {
    title: tr('title'),
    description: tr('description'),
    start_date: s('start_date'),
    end_date: s('end_date'),
    cta_text: tr('cta_text'),
    cta_path: s('cta_path'),
  };
}
