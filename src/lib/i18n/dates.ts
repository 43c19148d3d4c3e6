import type { Locale } from './locales.ts';

/*
 * Dates and times for people, always in one time zone: the organization's
 * (`public.organization.time_zone`), whoever reads the page and wherever the server runs. Two
 * things written at the same instant then show the same wall-clock time, and an
 * island formats in the zone the server hands it, never the browser's. Safe in the browser: no
 * server imports.
 */

const INTL_LOCALE: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

/** The BCP 47 tag the platform formats a locale with (French of France, British English: 24-hour clock). */
export function intlLocale(locale: Locale | string): string {
  return INTL_LOCALE[locale as Locale] ?? INTL_LOCALE.fr;
}

export type DateTimeStyle = 'date' | 'dateLong' | 'dateTime' | 'dateTimeLong' | 'time';

const STYLES: Record<DateTimeStyle, Intl.DateTimeFormatOptions> = {
  date: { dateStyle: 'medium' },
  dateLong: { dateStyle: 'long' },
  dateTime: { dateStyle: 'medium', timeStyle: 'short' },
  dateTimeLong: { dateStyle: 'long', timeStyle: 'short' },
  time: { timeStyle: 'short' },
};

const formats = new Map<string, Intl.DateTimeFormat>();

/** True when `zone` is an IANA time zone this runtime knows (`Europe/Paris`, `America/Cayenne`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function format(locale: Locale | string, timeZone: string, style: DateTimeStyle, withZone: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${style}|${withZone}`;
  let f = formats.get(key);
  if (!f) {
    // A zone the runtime does not know (a typo saved before validation) must not take pages down.
    const zone = isTimeZone(timeZone) ? timeZone : 'UTC';
    const options: Intl.DateTimeFormatOptions = { ...STYLES[style], timeZone: zone };
    if (withZone) {
      // dateStyle/timeStyle cannot be combined with timeZoneName: spell the parts out.
      delete options.dateStyle;
      delete options.timeStyle;
      Object.assign(options, style.startsWith('date') ? { day: 'numeric', month: style.endsWith('Long') ? 'long' : 'short', year: 'numeric' } : {});
      if (style !== 'date' && style !== 'dateLong') Object.assign(options, { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
    }
    f = new Intl.DateTimeFormat(intlLocale(locale), options);
    formats.set(key, f);
  }
  return f;
}

/**
 * A Date, or a timestamp as Postgres or JSON writes it (`2026-12-04 23:30:00.5+00`,
 * `2026-12-04T23:30:00Z`); null when it cannot be read.
 */
export function toDate(value: Date | string | number): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'number') return new Date(value);
  // Postgres' text form: a space for the T, and an offset of hours only (`+00`, `-03`).
  const iso = value.trim().replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * An instant for people, in `timeZone`: "5 déc. 2026, 00:30" (`dateTime`, the default). Pages show
 * it next to the rest of the site, where the organization's zone goes without saying.
 */
export function formatInstant(value: Date | string | number, locale: Locale | string, timeZone: string, style: DateTimeStyle = 'dateTime'): string {
  const d = toDate(value);
  return d ? format(locale, timeZone, style, false).format(d) : '';
}

/**
 * The same, saying its zone, for times read out of the site's context (emails, exports, a
 * notification on a phone abroad): "5 déc. 2026, 00:30 UTC+1 (Europe/Paris)".
 */
export function formatInstantWithZone(value: Date | string | number, locale: Locale | string, timeZone: string, style: DateTimeStyle = 'dateTime'): string {
  const d = toDate(value);
  if (!d) return '';
  const zone = isTimeZone(timeZone) ? timeZone : 'UTC';
  return `${format(locale, zone, style, true).format(d)} (${zone})`;
}

/** The calendar day (YYYY-MM-DD) an instant falls on in `timeZone`. */
export function dayIn(value: Date | string | number, timeZone: string): string {
  const d = toDate(value);
  if (!d) return '';
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: isTimeZone(timeZone) ? timeZone : 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(d);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * A calendar date (YYYY-MM-DD, a phase's start) for people: "26 novembre 2026". A date has no
 * time zone: it is formatted as written, on every machine.
 */
export function formatCalendarDate(date: string | null, locale: Locale | string, style: 'date' | 'dateLong' = 'dateLong'): string {
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return '';
  const d = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? '' : format(locale, 'UTC', style, false).format(d);
}
