import { z } from 'zod';
import { renderMarkdown } from '../../lib/markdown/index.ts';
import { uuidInput } from '../../lib/forms/fields.ts';

/**
 * Comments: types, input schemas and pure rules shared by the server, the pages and the island
 * (nothing here touches the database). Threads hang off a "commentable resource" named by a type
 * and an id (`page` + the pages component's id now; proposals, debates, meetings later).
 */

export const SORTS = ['oldest', 'recent', 'best_rated', 'most_discussed'] as const;
export type CommentSort = (typeof SORTS)[number];
export const isSort = (v: unknown): v is CommentSort => typeof v === 'string' && (SORTS as readonly string[]).includes(v);

export const MAX_DEPTH = 3;
/** The absolute ceiling; each component sets its own maximum (checked by the database). */
export const BODY_CEILING = 10_000;
/** Top-level comments per page of a thread. */
export const PAGE_SIZE = 20;
/** Replies shown before "show the N other replies". */
export const REPLIES_SHOWN = 3;

export const REPORT_REASONS = ['spam', 'offensive', 'does_not_belong'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export { commentsTopic } from './topic.ts';

/**
 * A comment's text as typed: NUL characters and U+FFFD (what invalid UTF-8 decodes to) are
 * refused rather than stored; the length limit of the component is the database's to enforce,
 * this only keeps absurd bodies from reaching it.
 */
export const bodyInput = z
  .string({ message: 'validation.required' })
  .max(BODY_CEILING, { message: 'comments.error.tooLong' })
  .refine((s) => !s.includes('\u0000') && !s.includes('\uFFFD'), { message: 'comments.error.invalidText' })
  .transform((s) => s.replace(/\r\n?/g, '\n').trim())
  .refine((s) => s.length > 0, { message: 'validation.required' });

const resourceTypeInput = z.string().regex(/^[a-z][a-z_]{1,39}$/, { message: 'validation.invalid' });
// An absent form field arrives as null.
const absent = (v: unknown) => (v === '' || v === null ? undefined : v);
const alignmentInput = z
  .preprocess(absent, z.enum(['-1', '0', '1'], { message: 'validation.invalid' }).optional())
  .transform((v) => (v === undefined ? 0 : Number(v)));
const optionalUuid = z.preprocess(absent, uuidInput.optional());

export const addCommentInput = z.object({
  resource_type: resourceTypeInput,
  resource_id: uuidInput,
  parent_id: optionalUuid,
  alignment: alignmentInput,
  body: bodyInput,
});
export type AddCommentInput = z.infer<typeof addCommentInput>;

export const editCommentInput = z.object({ comment_id: uuidInput, body: bodyInput });
export type EditCommentInput = z.infer<typeof editCommentInput>;

export const commentIdInput = z.object({ comment_id: uuidInput });
export type CommentIdInput = z.infer<typeof commentIdInput>;

export const voteCommentInput = z.object({
  comment_id: uuidInput,
  // "up" / "down"; voting the same way again withdraws the vote.
  value: z.enum(['up', 'down'], { message: 'validation.invalid' }),
});
export type VoteCommentInput = z.infer<typeof voteCommentInput>;

export const reportCommentInput = z.object({
  comment_id: uuidInput,
  reason: z.enum(REPORT_REASONS, { message: 'comments.error.reason' }),
  details: z.preprocess((v) => v ?? '', z.string().max(1000, { message: 'comments.error.tooLong' })),
});
export type ReportCommentInput = z.infer<typeof reportCommentInput>;

export const hideCommentInput = z.object({
  comment_id: uuidInput,
  hidden: z.enum(['true', 'false'], { message: 'validation.invalid' }).transform((v) => v === 'true'),
});
export type HideCommentInput = z.infer<typeof hideCommentInput>;

export const officialAnswerInput = z.object({
  comment_id: uuidInput,
  official: z.enum(['true', 'false'], { message: 'validation.invalid' }).transform((v) => v === 'true'),
});
export type OfficialAnswerInput = z.infer<typeof officialAnswerInput>;

/** A comment as a page or the island shows it (deleted: no body; hidden: moderators only). */
export interface CommentView {
  id: string;
  parentId: string | null;
  depth: number;
  /** `avatar`: the uploaded picture (public bucket), `avatarUrl`: an external one; both optional (the island's JSON). */
  author: { nickname: string; name: string; avatar?: { bucket?: string; name: string } | null; avatarUrl?: string | null } | null;
  alignment: number;
  /** The text as written (Markdown subset); '' once deleted. */
  body: string;
  /** Safe HTML rendered from the Markdown subset; '' once deleted. */
  html: string;
  official: boolean;
  upVotes: number;
  downVotes: number;
  repliesCount: number;
  createdAt: string;
  updatedAt: string;
  edited: boolean;
  deleted: boolean;
  hidden: boolean;
  mine: boolean;
  /** The viewer's vote: 1, -1 or 0. */
  myVote: number;
}

/** A comment's text, in the platform's Markdown subset (src/lib/markdown), as safe HTML. */
export function renderCommentMarkdown(text: string): string {
  return renderMarkdown(text);
}
