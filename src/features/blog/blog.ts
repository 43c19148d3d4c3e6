import { z } from 'zod';
import { confirmed } from '../../lib/forms/confirm.ts';
import { translatedInput, uuidInput } from '../../lib/forms/fields.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';

/** Types, input schemas and pure rules of the news component (no server imports: islands may use this file). */

export const TITLE_MAX = 150;
export const BODY_MAX = 60_000;
/** Posts per page of the list. */
export const PAGE_SIZE = 10;
/** Posts in a feed. */
export const FEED_SIZE = 30;

export interface PostSummary {
  id: string;
  title: TranslatedText;
  body: TranslatedText;
  /** Null: the organization signs it. */
  /** `avatar`/`avatarUrl`: the picture shown next to the name (optional: drafts in forms have none). */
  author: { id: string; name: string; nickname: string; avatar?: { bucket?: string; name: string } | null; avatarUrl?: string | null } | null;
  publishedAt: Date;
  updatedAt: Date;
  scheduled: boolean;
  hidden: boolean;
  likes: number;
  comments: number;
}

export interface PostDetail extends PostSummary {
  componentId: string;
  spaceId: string;
  editedAt: Date | null;
  liked: boolean;
  followed: boolean;
  reported: boolean;
  canEdit: boolean;
  canModerate: boolean;
}

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** An `<input type="datetime-local">` (in the organization's time zone), or null for "now". */
export const localDateTimeInput = z
  .string()
  .trim()
  .nullish()
  .refine((v) => !v || LOCAL_DATE_TIME.test(v), { message: 'validation.date' })
  .transform((v) => (v ? v : null));

/** An admin's post: new (no `post_id`) or edited, signed by the organization or themselves, now or later. */
export const savePostInput = z.object({
  component_id: uuidInput,
  post_id: uuidInput.nullish(),
  title: translatedInput({ required: true, max: TITLE_MAX }),
  body: translatedInput({ required: true, rich: true, max: BODY_MAX }),
  published_at: localDateTimeInput,
  signed_by: z.enum(['organization', 'me'], { message: 'validation.invalid_choice' }).default('organization'),
});
export type SavePostInput = z.infer<typeof savePostInput>;

/** A participant's post (where the component lets them): their language only, out at once. */
export const writePostInput = z.object({
  component_id: uuidInput,
  title: z.string().trim().min(1, { message: 'validation.required' }).max(TITLE_MAX),
  body: z.string().trim().min(1, { message: 'validation.required' }).max(BODY_MAX),
});
export type WritePostInput = z.infer<typeof writePostInput>;

export const postIdInput = z.object({ post_id: uuidInput });
export type PostIdInput = z.infer<typeof postIdInput>;

export const deletePostInput = confirmed(postIdInput);

/** The moderation queue's hide (`1`) or make visible (`0`). */
export const moderatePostInput = z.object({ post_id: uuidInput, hidden: z.enum(['1', '0'], { message: 'validation.invalid_choice' }) });

export const REPORT_REASONS = ['spam', 'offensive', 'does_not_belong'] as const;
export const reportPostInput = z.object({
  post_id: uuidInput,
  reason: z.enum(REPORT_REASONS, { message: 'validation.invalid_choice' }),
  // An empty field arrives as null.
  details: z.preprocess((v) => v ?? '', z.string().max(1000)),
});
export type ReportPostInput = z.infer<typeof reportPostInput>;

export const BLOG_STATUSES = ['saved', 'deleted', 'liked', 'unliked', 'followed', 'unfollowed', 'reported', 'hidden', 'shown', 'posted'] as const;
export type BlogStatus = (typeof BLOG_STATUSES)[number];
export function isBlogStatus(v: unknown): v is BlogStatus {
  return typeof v === 'string' && (BLOG_STATUSES as readonly string[]).includes(v);
}

/** The path of a post under its component's page. */
export const postPath = (id: string) => `posts/${id}`;

/** The text of a post's HTML, for excerpts and feeds' summaries. */
export function excerpt(html: string, max = 280): string {
  const text = html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' })[e] ?? ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/** An instant as an `<input type="datetime-local">` value in `timeZone` (YYYY-MM-DDTHH:MM). */
export function localDateTimeValue(d: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}
