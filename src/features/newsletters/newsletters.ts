import { z } from 'zod';
import { cleanTranslated, uuidInput } from '../../lib/forms/fields.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';

/** Types, input schemas and pure rules of the newsletters (no server imports). */

export const MAX_BLOCKS = 20;
export const SUBJECT_MAX = 200;

export type Block =
  | { type: 'text'; html: TranslatedText }
  | { type: 'image'; url: string; alt: TranslatedText }
  | { type: 'spaces'; ids: string[] }
  | { type: 'resources'; items: { type: string; id: string }[] };

export const BLOCK_TYPES = ['text', 'image', 'spaces', 'resources'] as const;
export type BlockType = (typeof BLOCK_TYPES)[number];

export type AudienceScope = 'all' | 'followers' | 'participants';
export interface Audience {
  scope: AudienceScope;
  spaces: string[];
  taxonomies: string[];
  /** Verification methods: when any, only the people holding one of them (core verifications). */
  verifications: string[];
}

export type NewsletterStatus = 'draft' | 'scheduled' | 'sending' | 'sent';

export interface Newsletter {
  id: string;
  subject: TranslatedText;
  blocks: Block[];
  audience: Audience;
  status: NewsletterStatus;
  scheduledAt: Date | null;
  sendingStartedAt: Date | null;
  sentAt: Date | null;
  recipients: number | null;
  delivered: number;
  failed: number;
  unsubscribed: number;
  updatedAt: Date;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const httpUrl = /^https?:\/\/[^\s<>"]+$/;

/** A resource named by a link to its page: `…/f/<component>/<path of the resource>`, matched against each registered path. */
export function resourceFromLink(link: string, paths: readonly { type: string; pattern: RegExp }[]): { type: string; id: string } | null {
  // As the form shows a saved block's items again: `<type>:<id>`.
  const saved = /^([a-z][a-z_]{1,39}):([0-9a-f-]{36})$/.exec(link.trim());
  if (saved) return paths.some((p) => p.type === saved[1]) && uuid.test(saved[2]!) ? { type: saved[1]!, id: saved[2]! } : null;
  let path: string;
  try {
    path = new URL(link.trim(), 'http://x').pathname;
  } catch {
    return null;
  }
  for (const p of paths) {
    const m = p.pattern.exec(path);
    if (m?.[1] && uuid.test(m[1])) return { type: p.type, id: m[1] };
  }
  return null;
}

export interface ParsedLetter {
  subject: TranslatedText;
  blocks: Block[];
  audience: Audience;
  /** Fields refused: name → message (key and its parameters). */
  errors: Record<string, { key: string; params?: Record<string, string | number> }>;
}

const str = (form: FormData, name: string, max = 100_000) => {
  const v = form.get(name);
  return typeof v === 'string' ? v.slice(0, max) : '';
};

/**
 * A letter as the composing form posts it (no JavaScript: numbered blocks, each with its type and
 * fields): the subject in each language, the blocks (text sanitised, image URLs checked, spaces
 * and resources as ids), the audience. Empty blocks are dropped.
 */
export function parseLetterForm(form: FormData, locales: readonly string[], resourcePaths: readonly { type: string; pattern: RegExp }[]): ParsedLetter {
  const errors: ParsedLetter['errors'] = {};
  const subject = cleanTranslated(Object.fromEntries(locales.map((l) => [l, str(form, `subject.${l}`, SUBJECT_MAX + 1)])), false);
  if (Object.keys(subject).length === 0) errors['subject'] = { key: 'validation.required' };
  if (Object.values(subject).some((s) => (s ?? '').length > SUBJECT_MAX)) errors['subject'] = { key: 'validation.too_long', params: { max: SUBJECT_MAX } };
  const blocks: Block[] = [];
  for (let i = 0; i < MAX_BLOCKS; i++) {
    const type = str(form, `block.${i}.type`, 20);
    if (!type || type === 'none') continue;
    if (type === 'text') {
      const html = cleanTranslated(Object.fromEntries(locales.map((l) => [l, str(form, `block.${i}.html.${l}`)])), true);
      if (Object.keys(html).length > 0) blocks.push({ type, html });
    } else if (type === 'image') {
      const url = str(form, `block.${i}.url`, 2000).trim();
      if (!url) continue;
      if (!httpUrl.test(url)) {
        errors[`block.${i}.url`] = { key: 'validation.url' };
        continue;
      }
      blocks.push({ type, url, alt: cleanTranslated(Object.fromEntries(locales.map((l) => [l, str(form, `block.${i}.alt.${l}`, 300)])), false) });
    } else if (type === 'spaces') {
      const ids = form.getAll(`block.${i}.spaces`).filter((v): v is string => typeof v === 'string' && uuid.test(v));
      if (ids.length > 0) blocks.push({ type, ids: [...new Set(ids)].slice(0, 50) });
    } else if (type === 'resources') {
      const lines = str(form, `block.${i}.links`, 20_000).split(/\s+/).filter(Boolean);
      const items = lines.map((l) => resourceFromLink(l, resourcePaths));
      if (items.some((x) => x === null)) {
        errors[`block.${i}.links`] = { key: 'newsletters.validation.link' };
        continue;
      }
      if (items.length > 0) blocks.push({ type, items: (items as { type: string; id: string }[]).slice(0, 50) });
    } else {
      errors[`block.${i}.type`] = { key: 'validation.invalid_choice' };
    }
  }
  const scopeRaw = str(form, 'audience.scope', 20);
  const scope: AudienceScope = scopeRaw === 'followers' || scopeRaw === 'participants' ? scopeRaw : 'all';
  if (scopeRaw && !['all', 'followers', 'participants'].includes(scopeRaw)) errors['audience.scope'] = { key: 'validation.invalid_choice' };
  const ids = (name: string) => [...new Set(form.getAll(name).filter((v): v is string => typeof v === 'string' && uuid.test(v)))].slice(0, 200);
  const methods = form.getAll('audience.verifications').filter((v): v is string => typeof v === 'string');
  if (methods.some((m) => !/^[a-z][a-z_]{1,39}$/.test(m))) errors['audience.verifications'] = { key: 'validation.invalid_choice' };
  const audience: Audience = {
    scope,
    spaces: ids('audience.spaces'),
    taxonomies: ids('audience.taxonomies'),
    verifications: [...new Set(methods.filter((m) => /^[a-z][a-z_]{1,39}$/.test(m)))].slice(0, 20),
  };
  if (scope !== 'all' && audience.spaces.length === 0 && audience.taxonomies.length === 0) errors['audience.spaces'] = { key: 'newsletters.validation.spaces' };
  return { subject, blocks, audience, errors };
}

export const letterIdInput = z.object({ newsletter_id: uuidInput });

export const NEWSLETTER_STATUSES = ['saved', 'scheduled', 'unscheduled', 'tested', 'deleted'] as const;
export function isNewsletterStatus(v: unknown): v is (typeof NEWSLETTER_STATUSES)[number] {
  return typeof v === 'string' && (NEWSLETTER_STATUSES as readonly string[]).includes(v);
}

/** The private channel of a letter's progress (`private.newsletters_topic`). */
export const newsletterTopic = (id: string) => `newsletters:${id}`;
