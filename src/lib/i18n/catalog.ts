import { DEFAULT_LOCALE, type Locale } from './locales.ts';

/** A dictionary: flat keys (`nav.home`) to messages with `{name}` placeholders. */
export type Dictionary = Readonly<Record<string, string>>;

/**
 * The type every other locale's dictionary must satisfy: exactly the keys of the French one (a
 * missing key and an extra key are both compile errors when used with `satisfies`).
 */
export type SameKeys<Fr extends Dictionary> = { readonly [K in keyof Fr]: string };

/** One dictionary per locale, with the keys of the French one. */
export type Catalog<K extends string> = Readonly<Record<Locale, Readonly<Record<K, string>>>>;

/** Any locale→dictionary map, whatever its keys. */
export type AnyCatalog = Readonly<Record<Locale, Dictionary>>;

export type Params = Readonly<Record<string, string | number>>;

export interface Translator<K extends string> {
  (key: K, params?: Params): string;
  /** Translates a key that is only known at run time (an error code), or returns the fallback key's text. */
  dynamic(key: string, params?: Params, fallback?: K): string;
  has(key: string): boolean;
  readonly locale: Locale;
}

/** Replaces `{name}` with params.name; unknown placeholders stay visible so a missing param is noticed. */
export function interpolate(message: string, params?: Params): string {
  if (!params) return message;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/**
 * A `t(key, params)` over one or more catalogs (the common one, then a feature's). The key type is
 * the union of the catalogs' keys, so a typo is a compile error. Messages are plain text: Astro
 * escapes them when rendered.
 */
export function createTranslator<K extends string>(locale: Locale, ...catalogs: AnyCatalog[]): Translator<K> {
  const merged: Record<string, string> = {};
  const fallback: Record<string, string> = {};
  for (const c of catalogs) {
    Object.assign(fallback, c[DEFAULT_LOCALE]);
    Object.assign(merged, c[locale]);
  }
  const lookup = (key: string): string | undefined =>
    Object.hasOwn(merged, key) ? merged[key] : Object.hasOwn(fallback, key) ? fallback[key] : undefined;
  const t = ((key: K, params?: Params) => interpolate(lookup(key) ?? key, params)) as Translator<K>;
  t.dynamic = (key: string, params?: Params, fb?: K) => {
    const message = lookup(key) ?? (fb !== undefined ? lookup(fb) : undefined);
    return interpolate(message ?? key, params);
  };
  t.has = (key: string) => lookup(key) !== undefined;
  Object.defineProperty(t, 'locale', { value: locale });
  return t;
}
