import { z } from 'zod';
import { uuidInput } from '../../lib/forms/fields.ts';
import { renderMarkdown } from '../../lib/markdown/index.ts';

/*
 * Input schemas of the participant forms of proposals (wizard, proposal page). Pure, but it
 * renders Markdown (marked and sanitize-html): pages and actions import it, islands do not. Limits that depend on the component (body length, proposals per
 * participant, edit window…) are the database's; these only refuse what is malformed.
 */

/** The raw ceiling of a body as posted (the database stores at most 60,000 characters of HTML). */
export const BODY_RAW_MAX = 60_000;

/**
 * A body as a participant typed it (the site's Markdown subset, src/lib/markdown), to the HTML
 * that is stored: the sanitised rendering, raw HTML shown as text. Storing the rendering, not the
 * source, keeps what reads bodies unchanged (the database's length rule counts characters of text
 * between tags, versions diff their text, exports and emails take their text, pages show it
 * through the sanitiser again); the edit forms turn it back into Markdown
 * (src/lib/markdown/from-html.ts). The newlines marked puts between blocks are dropped so they
 * do not count as characters (there is none between tags inside a code block: its text ends it).
 */
export function proposalBodyHtml(input: string): string {
  const text = input.replace(/\r\n?/g, '\n').trim();
  if (text === '') return '';
  return renderMarkdown(text).replace(/>\n+</g, '><');
}

/** The text of a body (tags out, entities decoded): what lengths and diffs are about. */
export function bodyText(html: string): string {
  return html
    .replace(/<\/(p|li|blockquote|pre|h[1-6])>|<br\s*\/?>/g, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&#(\d+);/g, (_, n: string) => safeChar(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => safeChar(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function safeChar(code: number): string {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
}

/** Text typed by a person: NUL and U+FFFD (what invalid UTF-8 decodes to) are refused. */
const cleanText = (s: string) => !s.includes('\u0000') && !s.includes('\uFFFD');
const absent = (v: unknown) => (v === '' || v === null ? undefined : v);

export const titleInput = z
  .string({ message: 'validation.required' })
  .max(1000, { message: 'proposals.error.titleLength' })
  .refine(cleanText, { message: 'proposals.detail.error.invalidText' })
  .transform((s) => s.replace(/\s+/g, ' ').trim())
  .refine((s) => s.length >= 5 && s.length <= 150, { message: 'proposals.error.titleLength' });

export const bodyInput = z
  .string({ message: 'validation.required' })
  .max(BODY_RAW_MAX, { message: 'proposals.error.bodyLength' })
  .refine(cleanText, { message: 'proposals.detail.error.invalidText' })
  .transform(proposalBodyHtml)
  .refine((s) => s.length <= BODY_RAW_MAX, { message: 'proposals.error.bodyLength' });

export const proposalIdInput = z.object({ proposal_id: uuidInput });
export type ProposalIdInput = z.infer<typeof proposalIdInput>;

/** Withdrawing is for good: the form has the person tick a confirmation. */
export const withdrawProposalInput = z.object({
  proposal_id: uuidInput,
  confirm: z.literal('yes', { message: 'proposals.detail.error.confirm' }),
});

export const createProposalInput = z.object({ component_id: uuidInput, title: titleInput, body: bodyInput });
export type CreateProposalInput = z.infer<typeof createProposalInput>;

export const updateProposalInput = z.object({ proposal_id: uuidInput, title: titleInput, body: bodyInput });
export type UpdateProposalInput = z.infer<typeof updateProposalInput>;

const coordinate = (min: number, max: number) =>
  z.preprocess(
    absent,
    z.coerce
      .number({ message: 'proposals.detail.error.coordinates' })
      .refine((n) => Number.isFinite(n) && n >= min && n <= max, { message: 'proposals.detail.error.coordinates' })
      .optional(),
  );

/** The wizard's second step: taxonomy and place (address with a point), all optional. */
export const completeProposalInput = z
  .object({
    proposal_id: uuidInput,
    taxonomy_id: z.preprocess(absent, uuidInput.optional()),
    address: z.preprocess(
      absent,
      z
        .string()
        .max(300, { message: 'proposals.detail.error.addressLength' })
        .refine(cleanText, { message: 'proposals.detail.error.invalidText' })
        .transform((s) => s.replace(/\s+/g, ' ').trim())
        .optional(),
    ),
    latitude: coordinate(-90, 90),
    longitude: coordinate(-180, 180),
  })
  .superRefine((v, ctx) => {
    if ((v.latitude === undefined) !== (v.longitude === undefined)) {
      ctx.addIssue({ code: 'custom', path: [v.latitude === undefined ? 'latitude' : 'longitude'], message: 'proposals.detail.error.coordinates' });
    }
  });
export type CompleteProposalInput = z.infer<typeof completeProposalInput>;

export const REPORT_REASONS = ['spam', 'offensive', 'does_not_belong'] as const;
export const reportProposalInput = z.object({
  proposal_id: uuidInput,
  reason: z.enum(REPORT_REASONS, { message: 'proposals.detail.error.reason' }),
  details: z.preprocess(
    (v) => v ?? '',
    z.string().max(1000, { message: 'proposals.detail.error.detailsLength' }).refine(cleanText, { message: 'proposals.detail.error.invalidText' }),
  ),
});
export type ReportProposalInput = z.infer<typeof reportProposalInput>;

/**
 * Co-authors are invited by nickname (`@camille` or `camille`), among the participants, as in
 * Decidim. Never by email: whatever the address, known or not, the answer is the same refusal,
 * so that the form never tells whose account an email is (the database matches nicknames only).
 */
export const inviteCoauthorInput = z.object({
  proposal_id: uuidInput,
  // (The form's field keeps its name, `identifier`.)
  identifier: z
    .string({ message: 'validation.required' })
    .max(320, { message: 'proposals.detail.error.coauthorUnknown' })
    .refine(cleanText, { message: 'proposals.detail.error.invalidText' })
    .transform((s) => s.trim())
    .refine((s) => s.length > 0, { message: 'validation.required' })
    .refine((s) => !s.slice(1).includes('@'), { message: 'proposals.detail.error.coauthorNickname' }),
});
export type InviteCoauthorInput = z.infer<typeof inviteCoauthorInput>;

/** Withdrawing an invitation (an author) names the invitee. */
export const coauthorInput = z.object({ proposal_id: uuidInput, user_id: uuidInput });
export type CoauthorInput = z.infer<typeof coauthorInput>;

export const createAmendmentInput = z.object({ proposal_id: uuidInput, title: titleInput, body: bodyInput });
export type CreateAmendmentInput = z.infer<typeof createAmendmentInput>;

export const reactToAmendmentInput = z.object({
  emendation_id: uuidInput,
  accept: z.enum(['true', 'false'], { message: 'validation.invalid' }).transform((v) => v === 'true'),
});
export type ReactToAmendmentInput = z.infer<typeof reactToAmendmentInput>;

export const emendationIdInput = z.object({ emendation_id: uuidInput });
export type EmendationIdInput = z.infer<typeof emendationIdInput>;
