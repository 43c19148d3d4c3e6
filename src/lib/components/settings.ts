import { z } from 'zod';
import { cleanTranslated } from '../forms/fields.ts';
import { LOCALE_NAMES, LOCALES, type Locale } from '../i18n/locales.ts';
import { issueMessage, type Message } from '../i18n/issues.ts';
import type { TranslatedText } from '../i18n/translated.ts';

/*
 * Component settings, declared once per feature and used three ways: a zod schema (validation
 * with defaults), the admin form (generated: booleans → checkbox, integers → number input with
 * min/max, enums → select, translated texts → one input per locale) and reading stored values
 * (a setting added after a component was created reads as its default).
 */

/** A text in every locale, written in the code (labels, hints). */
export type Labels = Readonly<Record<Locale, string>>;

interface SettingBase {
  label: Labels;
  hint?: Labels;
}
export interface BooleanSetting extends SettingBase {
  type: 'boolean';
  default: boolean;
}
export interface IntegerSetting extends SettingBase {
  type: 'integer';
  default: number;
  min: number;
  max: number;
}
export interface EnumSetting<V extends string = string> extends SettingBase {
  type: 'enum';
  values: readonly V[];
  default: V;
  options: Readonly<Record<V, Labels>>;
}
export interface TranslatedSetting extends SettingBase {
  type: 'translated';
  maxLength: number;
  /** Rich text (HTML sanitised against the allow-list on save). */
  rich?: boolean;
}
export type SettingDefinition = BooleanSetting | IntegerSetting | EnumSetting | TranslatedSetting;
export type SettingsDefinition = Readonly<Record<string, SettingDefinition>>;

type ValueOf<D> = D extends BooleanSetting
  ? boolean
  : D extends IntegerSetting
    ? number
    : D extends EnumSetting<infer V>
      ? V
      : D extends TranslatedSetting
        ? TranslatedText
        : never;
export type SettingsValues<S extends SettingsDefinition> = { [K in keyof S]: ValueOf<S[K]> };
export type AnySettings = Readonly<Record<string, unknown>>;

/** Setting names are identifiers (they end up in jsonb keys and form field names). */
export const SETTING_NAME = /^[a-z][a-z0-9_]{0,39}$/;

function defaultOf(d: SettingDefinition): unknown {
  return d.type === 'translated' ? {} : d.default;
}

/** The zod schema of one setting's value (what is stored). */
export function settingSchema(d: SettingDefinition): z.ZodType<unknown> {
  switch (d.type) {
    case 'boolean':
      return z.boolean({ message: 'validation.invalid_choice' });
    case 'integer':
      return z
        // Only the type error is ours: range checks keep their own (too small / too big) messages.
        .number({ error: (i) => (i.code !== 'invalid_type' ? undefined : i.input === undefined || i.input === null || i.input === '' ? 'validation.required' : 'validation.integer') })
        .int({ message: 'validation.integer' })
        .min(d.min)
        .max(d.max);
    case 'enum':
      return z.enum(d.values as [string, ...string[]], { message: 'validation.invalid_choice' });
    case 'translated': {
      const shape = Object.fromEntries(LOCALES.map((l) => [l, z.string().max(d.maxLength).optional()]));
      return z
        .object(shape)
        .strict()
        .transform((v) => cleanTranslated(v as Record<string, string | undefined>, d.rich ?? false));
    }
  }
}

/** The zod schema of a whole settings object: every key, each with its default; unknown keys dropped. */
export function settingsSchema<S extends SettingsDefinition>(def: S): z.ZodType<SettingsValues<S>> {
  const shape: Record<string, z.ZodType<unknown>> = {};
  for (const [key, d] of Object.entries(def)) shape[key] = settingSchema(d).default(defaultOf(d) as never);
  return z.object(shape) as unknown as z.ZodType<SettingsValues<S>>;
}

export function defaultSettings<S extends SettingsDefinition>(def: S): SettingsValues<S> {
  const out: Record<string, unknown> = {};
  for (const [key, d] of Object.entries(def)) out[key] = defaultOf(d);
  return out as SettingsValues<S>;
}

/**
 * Stored settings as the code reads them: each value that is missing or no longer valid (the
 * schema changed since it was saved) is its default, so a page never breaks on an old row.
 */
export function readSettings<S extends SettingsDefinition>(def: S, stored: unknown): SettingsValues<S> {
  const source = stored && typeof stored === 'object' && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [key, d] of Object.entries(def)) {
    const parsed = settingSchema(d).safeParse(source[key]);
    out[key] = parsed.success ? parsed.data : defaultOf(d);
  }
  return out as SettingsValues<S>;
}

/**
 * The raw values of a generated form section (field names `<prefix><setting>` and, for
 * translated settings, `<prefix><setting>.<locale>`), ready for `validateSettings`. An unchecked
 * checkbox is absent from a form, so a boolean is true only when its field was sent as on/true.
 */
export function settingsFromForm(def: SettingsDefinition, form: FormData, prefix: string): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [key, d] of Object.entries(def)) {
    const name = `${prefix}${key}`;
    switch (d.type) {
      case 'boolean': {
        const v = form.get(name);
        raw[key] = v === null ? false : v === 'on' || v === 'true' ? true : v === 'false' ? false : v;
        break;
      }
      case 'integer': {
        const v = form.get(name);
        if (typeof v !== 'string') raw[key] = v ?? undefined;
        else raw[key] = v.trim() === '' ? undefined : /^-?\d{1,15}$/.test(v.trim()) ? Number(v.trim()) : v;
        break;
      }
      case 'enum': {
        const v = form.get(name);
        raw[key] = v ?? undefined;
        break;
      }
      case 'translated': {
        const value: Record<string, unknown> = {};
        for (const l of LOCALES) {
          const v = form.get(`${name}.${l}`);
          if (v !== null) value[l] = v;
        }
        raw[key] = value;
        break;
      }
    }
  }
  return raw;
}

export type SettingsValidation<S extends SettingsDefinition> =
  | { ok: true; value: SettingsValues<S> }
  | { ok: false; errors: Record<string, Message> };

/**
 * Validates raw values against the definition. Errors are keyed by form field name
 * (`<prefix><setting>`), so the generated form shows each under its field. A missing value is
 * an error (the form always sends every field), except booleans and translated texts.
 */
export function validateSettings<S extends SettingsDefinition>(def: S, raw: Readonly<Record<string, unknown>>, prefix = ''): SettingsValidation<S> {
  const errors: Record<string, Message> = {};
  const out: Record<string, unknown> = {};
  for (const [key, d] of Object.entries(def)) {
    const value = raw[key] ?? (d.type === 'boolean' ? false : d.type === 'translated' ? {} : undefined);
    const parsed = settingSchema(d).safeParse(value);
    if (parsed.success) out[key] = parsed.data;
    else errors[`${prefix}${key}`] = issueMessage(parsed.error.issues[0] ?? { code: 'custom' });
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: out as SettingsValues<S> };
}

/** One field of a generated settings form, ready to render (labels already in the page's locale). */
export type SettingsFormField =
  | { kind: 'checkbox'; name: string; id: string; label: string; hint?: string | undefined; checked: boolean }
  | { kind: 'number'; name: string; id: string; label: string; hint?: string | undefined; value: string; min: number; max: number }
  | { kind: 'select'; name: string; id: string; label: string; hint?: string | undefined; value: string; options: { value: string; label: string }[] }
  | {
      kind: 'translated';
      name: string;
      id: string;
      label: string;
      hint?: string | undefined;
      rich: boolean;
      maxLength: number;
      inputs: { locale: Locale; language: string; name: string; id: string; value: string }[];
    };

/**
 * The fields of a settings form, generated from the definition: `values` are the current (or
 * re-submitted) values, `prefix` the field-name prefix of this section (`settings.`,
 * `phase.<id>.`), `idPrefix` a prefix for element ids unique in the page.
 */
export function settingsFormFields(
  def: SettingsDefinition,
  values: Readonly<Record<string, unknown>>,
  locale: Locale,
  prefix: string,
  idPrefix: string,
): SettingsFormField[] {
  const label = (l: Labels) => l[locale];
  return Object.entries(def).map(([key, d]): SettingsFormField => {
    const name = `${prefix}${key}`;
    const id = `${idPrefix}${key}`.replace(/[^a-zA-Z0-9_-]/g, '-');
    const hint = d.hint ? label(d.hint) : undefined;
    const v = values[key];
    switch (d.type) {
      case 'boolean':
        return { kind: 'checkbox', name, id, label: label(d.label), hint, checked: v === true };
      case 'integer':
        return { kind: 'number', name, id, label: label(d.label), hint, value: v === undefined || v === null ? '' : String(v), min: d.min, max: d.max };
      case 'enum':
        return {
          kind: 'select',
          name,
          id,
          label: label(d.label),
          hint,
          value: typeof v === 'string' ? v : d.default,
          options: d.values.map((value) => ({ value, label: d.options[value]?.[locale] ?? value })),
        };
      case 'translated': {
        const text = v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
        return {
          kind: 'translated',
          name,
          id,
          label: label(d.label),
          hint,
          rich: d.rich ?? false,
          maxLength: d.maxLength,
          inputs: LOCALES.map((l) => ({
            locale: l,
            language: LOCALE_NAMES[l],
            name: `${name}.${l}`,
            id: `${id}-${l}`,
            value: typeof text[l] === 'string' ? (text[l] as string) : '',
          })),
        };
      }
    }
  });
}

/** The field-name → element-id map of a generated form, for the error summary links. */
export function settingsFieldIds(fields: readonly SettingsFormField[]): Record<string, { id: string; label: string }> {
  const out: Record<string, { id: string; label: string }> = {};
  for (const f of fields) out[f.name] = { id: f.kind === 'translated' ? (f.inputs[0]?.id ?? f.id) : f.id, label: f.label };
  return out;
}
