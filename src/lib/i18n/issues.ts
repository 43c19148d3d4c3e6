import type { Params } from './catalog.ts';

/** A translatable message: a dictionary key and its parameters. */
export interface Message {
  key: string;
  params?: Params;
}

/** The subset of a zod issue this module reads (zod 4's `$ZodIssue`, also after JSON round-trips). */
export interface IssueLike {
  code?: string;
  message?: string;
  path?: readonly PropertyKey[];
  origin?: string;
  format?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  input?: unknown;
}

/** Schemas name their own messages with keys of this shape (`validation.nickname_format`). */
const KEY = /^[a-z][a-zA-Z0-9_]*(\.[a-zA-Z0-9_]+)+$/;

/**
 * Turns a zod issue into a translatable message. A schema that set a message key (`{ message:
 * 'accounts.validation.password_mismatch' }`) gets it back; otherwise the issue code decides, so
 * zod's English default texts never reach the page.
 */
export function issueMessage(issue: IssueLike): Message {
  if (issue.message && KEY.test(issue.message)) return { key: issue.message };
  const n = (v: number | bigint | undefined) => (typeof v === 'bigint' ? Number(v) : (v ?? 0));
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined || issue.input === null || issue.input === ''
        ? { key: 'validation.required' }
        : { key: 'validation.invalid_type' };
    case 'too_small':
      if (issue.origin === 'string') {
        return n(issue.minimum) <= 1 ? { key: 'validation.required' } : { key: 'validation.too_short', params: { min: n(issue.minimum) } };
      }
      return { key: 'validation.too_small', params: { min: n(issue.minimum) } };
    case 'too_big':
      if (issue.origin === 'string') return { key: 'validation.too_long', params: { max: n(issue.maximum) } };
      return { key: 'validation.too_big', params: { max: n(issue.maximum) } };
    case 'invalid_format':
      if (issue.format === 'email') return { key: 'validation.email' };
      if (issue.format === 'url') return { key: 'validation.url' };
      return { key: 'validation.invalid_format' };
    case 'invalid_value':
    case 'invalid_union':
      return { key: 'validation.invalid_choice' };
    default:
      return { key: 'validation.invalid' };
  }
}
