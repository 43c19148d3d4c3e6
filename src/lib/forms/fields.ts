import { z } from 'zod';
import { sanitizeHtml } from '../html/sanitize.ts';
import { LOCALES } from '../i18n/locales.ts';
import type { TranslatedText } from '../i18n/translated.ts';

/*
 * Zod pieces for admin forms posted without JavaScript. Astro's form parsing turns `title.fr`,
 * `title.en` into `{ title: { fr, en } }` and an empty input into undefined, so every schema here
 * accepts "absent" and says what is required itself. Messages are dictionary keys (issues.ts).
 */

/** The database's limit for one translation of a translated text (private.is_translated). */
export const TRANSLATION_MAX = 100_000;

/**
 * One input per locale. Empty translations are dropped (`{}` rather than `{"en": ""}`), so the
 * display falls back to another locale; rich text is sanitised against the allow-list here, on
 * the server, before it is stored.
 */
export function translatedInput(opts: { required?: boolean; max?: number; rich?: boolean } = {}) {
  const max = opts.max ?? TRANSLATION_MAX;
  const shape = Object.fromEntries(LOCALES.map((l) => [l, z.string().max(max).nullish()])) as Record<
    (typeof LOCALES)[number],
    z.ZodOptional<z.ZodNullable<z.ZodString>>
  >;
  // Default → transform → object, in that nesting: the shape Astro's form parser looks through
  // to find the nested `title.fr` fields.
  return z
    .object(shape)
    .transform((value): TranslatedText => cleanTranslated(value, opts.rich ?? false))
    .default({})
    .refine((v) => !opts.required || Object.keys(v).length > 0, { message: 'validation.required' });
}

export function cleanTranslated(value: Readonly<Record<string, string | null | undefined>>, rich: boolean): TranslatedText {
  const out: Record<string, string> = {};
  for (const l of LOCALES) {
    const raw = value[l];
    if (typeof raw !== 'string') continue;
    const text = rich ? sanitizeHtml(raw).trim() : raw.trim();
    if (text !== '' && !(rich && /^(<p>\s*(<br>)?\s*<\/p>)+$/.test(text))) out[l] = text;
  }
  return out;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An `<input type="date">` value (YYYY-MM-DD, a real day), or null when left empty. */
export const dateInput = z
  .string()
  .trim()
  .nullish()
  .refine((v) => v == null || v === '' || (DATE.test(v) && isRealDate(v)), { message: 'validation.date' })
  .transform((v) => (v ? v : null));

function isRealDate(v: string): boolean {
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** A link to an image or a page: http(s) or a path on this site (private.is_safe_url). */
export const safeUrlInput = z
  .string()
  .trim()
  .max(2000)
  .nullish()
  // `//host` and `/\host` are links to another site for browsers: refused, as in the database.
  .refine((v) => !v || /^(https?:\/\/[^\s<>"]+|\/([^/\\\s<>"][^\s<>"]*)?)$/.test(v), { message: 'validation.safe_url' })
  .transform((v) => (v ? v : null));

/** An optional short text; empty is null. */
export function optionalText(max: number) {
  return z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));
}

/** A whole number typed in a form (Astro's form parsing gives NaN for text, null for empty). */
export function integerInput(min: number, max: number) {
  return z
    // Only the type error is ours: range checks keep their own (too small / too big) messages.
    .number({ error: (issue) => (issue.code !== 'invalid_type' ? undefined : issue.input === undefined || issue.input === null ? 'validation.required' : 'validation.integer') })
    .int({ message: 'validation.integer' })
    .min(min)
    .max(max);
}

export const uuidInput = z.uuid({ message: 'validation.invalid' });

/** A text field of a posted form (files and absent fields are ''), cut to `max` characters. */
export function formString(form: FormData | null, name: string, max = 200_000): string {
  const v = form?.get(name);
  return typeof v === 'string' ? v.slice(0, max) : '';
}
