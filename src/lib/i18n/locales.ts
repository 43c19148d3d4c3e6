/**
 * The locales the platform speaks. French first: it is the default when nothing else is known.
 * The locale lives in the URL (`/fr/…`, `/en/…`), with the same path segments in every locale, so
 * switching language keeps the page.
 */
export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'fr';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The locale a path starts with (`/en/account` → `en`), or undefined. */
export function localeFromPath(pathname: string): Locale | undefined {
  const first = pathname.split('/')[1];
  return isLocale(first) ? first : undefined;
}

/**
 * The best supported locale for an `Accept-Language` header (RFC 9110 weights), or the default.
 * Only the primary subtag counts: `en-GB` is English.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined, fallback: Locale = DEFAULT_LOCALE): Locale {
  if (!acceptLanguage) return fallback;
  const ranked = acceptLanguage
    .slice(0, 1000)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number.parseFloat(q.slice(2)) : 1;
      return { lang: tag.trim().toLowerCase().split('-')[0] ?? '', weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((r) => r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const r of ranked) if (isLocale(r.lang)) return r.lang;
  return fallback;
}

/** The same page in another locale: `/fr/account?x=1` → `/en/account?x=1`; other paths go to that locale's home. */
export function switchLocalePath(pathname: string, search: string, target: Locale): string {
  const current = localeFromPath(pathname);
  if (!current) return `/${target}/`;
  return `/${target}${pathname.slice(current.length + 1) || '/'}${search}`;
}

/** A path inside a locale: `localePath('en', '/account')` → `/en/account`. */
export function localePath(locale: Locale, path = '/'): string {
  return `/${locale}${path.startsWith('/') ? path : `/${path}`}`;
}

/** Human names of the locales, each in its own language (what a language switcher shows). */
export const LOCALE_NAMES: Record<Locale, string> = { fr: 'Français', en: 'English' };
