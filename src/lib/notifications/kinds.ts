import type { Labels } from '../components/settings.ts';
import type { Locale } from '../i18n/locales.ts';
import { translated } from '../i18n/translated.ts';

/*
 * A kind of notification as its feature declares it (the same kinds its migration registers in
 * `public.notification_kinds`, a test compares both): the label people choose its emails by, and
 * the line that tells it, in-app and by email. The registry (src/features/registry.ts) gathers
 * every feature's kinds; the notifications page, the emails and the preferences read them there.
 */

/** What a notification holds, as its line is written from it. */
export interface NotificationFacts {
  kind: string;
  resourceType: string | null;
  resourceId: string | null;
  data: Record<string, unknown>;
}

/** Where a notification leads: a registered resource (its page) with an optional anchor. */
export interface NotificationTarget {
  type: string;
  id: string;
  anchor?: string | undefined;
}

export interface NotificationKindDefinition {
  /** `<feature>.<event>`, as registered by the feature's migration. */
  kind: string;
  /** In the preferences: what these notifications are about. */
  label: Labels;
  /**
   * The line, with placeholders in braces: `{title}` (the resource's title), `{space}` (the
   * space's), `{actor}` (who did it), any string or translated field of the data, and `vars`.
   */
  message: Labels;
  /** Placeholders computed from the data (a state's word…). */
  vars?: (data: Record<string, unknown>) => Record<string, Labels | string>;
  /** Where it leads, when not the resource itself (an anchor, another resource). */
  target?: (n: NotificationFacts) => NotificationTarget | null;
  /**
   * Where it leads when it names no registered resource with a page (a budget, a project under
   * its budget): a path relative to its component's page, with an optional `#anchor`.
   */
  path?: (n: NotificationFacts) => string | null;
}

/** Fills `{name}` placeholders: values are plain text (escaping is the caller's, per medium). */
export function interpolate(template: string, values: Record<string, string>): string {
  return template.replace(/\{([a-z_]+)\}/g, (m, name: string) => values[name] ?? m);
}

/** A placeholder's value from a field of the data: a string, or a translated object. */
export function dataText(value: unknown, locale: Locale, defaultLocale: string): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const t = translated(value, locale, defaultLocale);
    return t || undefined;
  }
  if (typeof value === 'number') return String(value);
  return undefined;
}
