import { interpolate, type Params, type Translator } from './catalog.ts';

/**
 * Plurals, kept minimal: a counted message has two keys, `<base>.one` and `<base>.other`, and the
 * locale's plural rules pick one (French: 0 and 1 are "one"; English: only 1). Each message keeps
 * its `{count}` placeholder.
 */

/** The two forms of a counted message (what an island receives to pick from on the client). */
export interface PluralForms {
  one: string;
  other: string;
}

/** The base keys `B` of a catalog that has both `B.one` and `B.other`. */
export type PluralBase<K extends string> = PluralBaseOf<K, K>;
type PluralBaseOf<Each extends string, All extends string> = Each extends `${infer B}.one` ? (`${B}.other` extends All ? B : never) : never;

/** The keys a translator knows. */
type KeysOf<T> = T extends (key: infer K extends string, params?: Params) => string ? K : never;

const rules = new Map<string, Intl.PluralRules>();

/** 'one' or 'other' for `count` in `locale` (any other category of the locale counts as 'other'). */
export function pluralCategory(locale: string, count: number): keyof PluralForms {
  let r = rules.get(locale);
  if (!r) {
    r = new Intl.PluralRules(locale);
    rules.set(locale, r);
  }
  return r.select(count) === 'one' ? 'one' : 'other';
}

/** Picks the form for `count` and fills `{count}` (and the other params). Safe in the browser. */
export function pluralForm(locale: string, forms: PluralForms, count: number, params: Params = {}): string {
  return interpolate(forms[pluralCategory(locale, count)], { ...params, count });
}

/** `t` for a counted message: `plural(t, 'feature.supports', 3)` → "3 soutiens". */
export function plural<T extends Translator<never>>(t: T, baseKey: PluralBase<KeysOf<T>>, count: number, params: Params = {}): string {
  return pluralForm(t.locale, pluralForms(t, baseKey), count, params);
}

/** Both forms of a counted message, untouched (placeholders kept), for an island. */
export function pluralForms<T extends Translator<never>>(t: T, baseKey: PluralBase<KeysOf<T>>): PluralForms {
  return { one: t.dynamic(`${baseKey}.one`), other: t.dynamic(`${baseKey}.other`) };
}
