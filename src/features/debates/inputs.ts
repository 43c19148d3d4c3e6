import { z } from 'zod';
import { translatedInput, uuidInput } from '../../lib/forms/fields.ts';
import { confirmInput } from '../../lib/forms/confirm.ts';
import { renderMarkdown } from '../../lib/markdown/index.ts';
import { bodyInput as commentBodyInput } from '../comments/comments.ts';

/*
 * Input schemas of the debates' forms (participants' and admin's). Pure, but they render Markdown
 * (marked and sanitize-html): pages and actions import this file, islands do not. Rules that
 * depend on the debate or the component (open, edit window, lengths of text) are the database's;
 * these refuse what is malformed and give the message next to the field.
 */

const RAW_MAX = 60_000;
const cleanText = (s: string) => !s.includes('\u0000') && !s.includes('\uFFFD');
const absent = (v: unknown) => (v === '' || v === null ? undefined : v);

/** A long text in the participants' Markdown subset, to the sanitised HTML that is stored (as proposals do). */
export function markdownHtml(input: string): string {
  const text = input.replace(/\r\n?/g, '\n').trim();
  if (text === '') return '';
  return renderMarkdown(text).replace(/>\n+</g, '><');
}

export const titleInput = z
  .string({ message: 'validation.required' })
  .max(1000, { message: 'debates.error.titleLength' })
  .refine(cleanText, { message: 'debates.error.invalidText' })
  .transform((s) => s.replace(/\s+/g, ' ').trim())
  .refine((s) => s.length >= 5 && s.length <= 150, { message: 'debates.error.titleLength' });

const markdownInput = (lengthKey: string) =>
  z
    .string({ message: 'validation.required' })
    .max(RAW_MAX, { message: lengthKey })
    .refine(cleanText, { message: 'debates.error.invalidText' })
    .transform(markdownHtml)
    .refine((s) => s.length > 0, { message: 'validation.required' })
    .refine((s) => s.length <= RAW_MAX, { message: lengthKey });

export const descriptionInput = markdownInput('debates.error.descriptionLength');
export const conclusionsInput = markdownInput('debates.error.conclusionsLength');

const taxonomyInput = z.preprocess(absent, uuidInput.optional()).transform((v) => v ?? null);

export const debateIdInput = z.object({ debate_id: uuidInput });
export type DebateIdInput = z.infer<typeof debateIdInput>;

export const createDebateInput = z.object({ component_id: uuidInput, title: titleInput, description: descriptionInput, taxonomy_id: taxonomyInput });
export type CreateDebateInput = z.infer<typeof createDebateInput>;

export const updateDebateInput = z.object({ debate_id: uuidInput, title: titleInput, description: descriptionInput, taxonomy_id: taxonomyInput });
export type UpdateDebateInput = z.infer<typeof updateDebateInput>;

export const closeDebateInput = z.object({ debate_id: uuidInput, conclusions: conclusionsInput });
export type CloseDebateInput = z.infer<typeof closeDebateInput>;

/** Withdrawing is for good: the form asks for a confirmation. */
export const withdrawDebateInput = z.object({ debate_id: uuidInput, confirm: confirmInput });

const alignmentInput = z.enum(['1', '0', '-1'], { message: 'debates.error.alignment' }).transform(Number);

/** An argument: a top-level comment with its side (a reply goes through the comments' form). */
export const addArgumentInput = z.object({ debate_id: uuidInput, alignment: alignmentInput, body: commentBodyInput });
export type AddArgumentInput = z.infer<typeof addArgumentInput>;

/** A position, or none (`clear`). */
export const takePositionInput = z.object({
  debate_id: uuidInput,
  alignment: z.enum(['1', '0', '-1', 'clear'], { message: 'debates.error.alignment' }).transform((v) => (v === 'clear' ? null : Number(v))),
});
export type TakePositionInput = z.infer<typeof takePositionInput>;

export const REPORT_REASONS = ['spam', 'offensive', 'does_not_belong'] as const;
export const reportDebateInput = z.object({
  debate_id: uuidInput,
  reason: z.enum(REPORT_REASONS, { message: 'debates.error.reason' }),
  details: z.preprocess(
    (v) => v ?? '',
    z.string().max(1000, { message: 'debates.error.detailsLength' }).refine(cleanText, { message: 'debates.error.invalidText' }),
  ),
});
export type ReportDebateInput = z.infer<typeof reportDebateInput>;

export const presencePreferenceInput = z.object({
  show_name: z.enum(['true', 'false'], { message: 'validation.invalid' }).transform((v) => v === 'true'),
});
export type PresencePreferenceInput = z.infer<typeof presencePreferenceInput>;

// ------------------------------------------------------------------------------------- admin

/**
 * A wall-clock time as `<input type="datetime-local">` sends it (YYYY-MM-DDTHH:MM), meant in the
 * organization's time zone (the database converts it), or null when left empty.
 */
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
export const localTimeInput = z
  .string()
  .trim()
  .nullish()
  .refine((v) => !v || (LOCAL_TIME.test(v) && !Number.isNaN(Date.parse(`${v}:00Z`)) && new Date(`${v}:00Z`).toISOString().startsWith(v)), {
    message: 'debates.error.dateTime',
  })
  .transform((v) => (v ? v : null));

const officialShape = {
  title: titleInput,
  description: descriptionInput,
  taxonomy_id: taxonomyInput,
  starts_at: localTimeInput,
  ends_at: localTimeInput,
  instructions: translatedInput({ rich: true, max: 20_000 }),
  information_updates: translatedInput({ rich: true, max: 20_000 }),
};

function windowRefine(v: { starts_at: string | null; ends_at: string | null }, ctx: z.RefinementCtx) {
  if ((v.starts_at === null) !== (v.ends_at === null)) {
    ctx.addIssue({ code: 'custom', path: [v.starts_at === null ? 'starts_at' : 'ends_at'], message: 'debates.error.windowBoth' });
  } else if (v.starts_at && v.ends_at && v.ends_at <= v.starts_at) {
    ctx.addIssue({ code: 'custom', path: ['ends_at'], message: 'debates.error.windowOrder' });
  }
}

export const createOfficialDebateInput = z.object({ component_id: uuidInput, ...officialShape }).superRefine(windowRefine);
export type CreateOfficialDebateInput = z.infer<typeof createOfficialDebateInput>;

export const updateOfficialDebateInput = z.object({ debate_id: uuidInput, ...officialShape }).superRefine(windowRefine);
export type UpdateOfficialDebateInput = z.infer<typeof updateOfficialDebateInput>;

/** The organization's information updates on any debate (participants' too). */
export const informationUpdatesInput = z.object({ debate_id: uuidInput, information_updates: translatedInput({ rich: true, max: 20_000 }) });
export type InformationUpdatesInput = z.infer<typeof informationUpdatesInput>;

export const hideDebateInput = z.object({
  debate_id: uuidInput,
  hidden: z.enum(['true', 'false'], { message: 'validation.invalid' }).transform((v) => v === 'true'),
});
export type HideDebateInput = z.infer<typeof hideDebateInput>;

export const reopenDebateInput = z.object({ debate_id: uuidInput, confirm: confirmInput });
