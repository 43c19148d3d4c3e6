import type { Locale } from './locales.ts';

/** A translated text stored as jsonb: `{ "fr": "…", "en": "…" }`. */
export type TranslatedText = Partial<Record<string, string>>;

/**
 * The text for `locale`, else the organization's default locale, else any non-empty translation,
 * else ''. Values that are not strings (a corrupted row) are ignored rather than rendered.
 */
export function translated(value: unknown, locale: Locale, defaultLocale: string): string {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return '';
  const record = value as Record<string, unknown>;
  for (const key of [locale, defaultLocale]) {
    const v = record[key];
    if (typeof v === 'string' && v.trim() !== '') return v;
  }
  for (const v of Object.values(record)) if (typeof v === 'string' && v.trim() !== '') return v;
  return '';
}
