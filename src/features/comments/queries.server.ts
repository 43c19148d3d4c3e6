import { asUser, type Claims, type Tx } from '../../lib/db/index.ts';
import { PAGE_SIZE, renderCommentMarkdown, type CommentSort, type CommentView } from './comments.ts';

/**
 * Reading threads as the visitor (RLS decides: hidden comments reach moderators only, deleted
 * ones have no body left). Top-level comments come a page at a time with a keyset cursor (the
 * sort key, the creation time and the id), so the thousandth comment costs what the first does;
 * the replies of a page come with it, in creation order.
 */

/** A comment row as COMMENT_COLUMNS reads it (with `comments c` and `profiles p` joined). */
export interface CommentRow {
  id: string;
  parent_id: string | null;
  depth: number;
  author_id: string | null;
  nickname: string | null;
  name: string | null;
  avatar: { bucket?: string; name: string } | null;
  avatar_url: string | null;
  alignment: number;
  body: string;
  official: boolean;
  up_votes: number;
  down_votes: number;
  replies_count: number;
  created_at: string;
  updated_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  hidden_at: string | null;
  my_vote: number | null;
}
type Row = CommentRow & { sort_key: number };

/** The columns of a comment as the visitor may see it; features that show comments their own way (debates' arguments) read the same. */
export const COMMENT_COLUMNS = (tx: Tx) => tx`
  c.id, c.parent_id, c.depth, c.author_id, p.nickname, p.name, p.avatar, p.avatar_url, c.alignment, c.body, c.official, c.up_votes, c.down_votes,
  c.replies_count, c.created_at::text as created_at, c.updated_at::text as updated_at, c.edited_at, c.deleted_at, c.hidden_at,
  (select v.value from public.comment_votes v where v.comment_id = c.id and v.user_id = (select auth.uid())) as my_vote`;

/** What CommentItem.astro renders, from a row: deleted comments keep no body. */
export function commentView(r: CommentRow, me: string | null): CommentView {
  const deleted = r.deleted_at !== null;
  return {
    id: r.id,
    parentId: r.parent_id,
    depth: r.depth,
    author: r.nickname && r.name ? { nickname: r.nickname, name: r.name, avatar: r.avatar, avatarUrl: r.avatar_url } : null,
    alignment: r.alignment,
    body: deleted ? '' : r.body,
    html: deleted ? '' : renderCommentMarkdown(r.body),
    official: r.official,
    upVotes: r.up_votes,
    downVotes: r.down_votes,
    repliesCount: r.replies_count,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    edited: r.edited_at !== null,
    deleted,
    hidden: r.hidden_at !== null,
    mine: me !== null && r.author_id === me,
    myVote: r.my_vote ?? 0,
  };
}

/** Sort key of a top-level comment: smaller first (ties: older first, then id). */
function sortKey(tx: Tx, sort: CommentSort, alias: 'c' | 'x' = 'c') {
  const a = tx(alias);
  switch (sort) {
    case 'best_rated':
      return tx`(${a}.down_votes - ${a}.up_votes)`;
    case 'most_discussed':
      return tx`(0 - ${a}.replies_count)`;
    default:
      return tx`0::int`;
  }
}

export const TIMESTAMP = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d{1,6})?([+-]\d\d(:?\d\d)?|Z)$/;

export interface Cursor {
  k: number;
  t: string;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeCursor(s: string | null | undefined): Cursor | null {
  if (!s || s.length > 300) return null;
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (typeof v.k !== 'number' || !Number.isFinite(v.k) || typeof v.t !== 'string' || typeof v.id !== 'string') return null;
    // Postgres' own text for a timestamptz (microseconds kept): "2026-11-26 16:18:16.9484+00".
    if (!/^[0-9a-f-]{36}$/.test(v.id) || !TIMESTAMP.test(v.t)) return null;
    return { k: v.k, t: v.t, id: v.id };
  } catch {
    return null;
  }
}

export interface Thread {
  /** Comments of this page, top-level first in the chosen order, each followed by nothing: use `replies`. */
  comments: CommentView[];
  /** Replies by parent id, oldest first. */
  replies: Record<string, CommentView[]>;
  /** Official answers of the whole thread, shown apart. */
  official: CommentView[];
  /** Cursor of the next page, if any. */
  next: string | null;
  /** Visible comments in the thread, replies included. */
  total: number;
  /** May the visitor comment now (signed in, component allows it)? */
  canComment: boolean;
  /** Is the visitor a moderator / admin of the space? */
  canModerate: boolean;
  canAnswer: boolean;
  /** The space the resource belongs to (for the moderation queue link). */
  spaceId: string | null;
}

export async function getThread(
  claims: Claims | null,
  resourceType: string,
  resourceId: string,
  opts: { sort: CommentSort; after?: string | null; limit?: number },
): Promise<Thread> {
  const me = claims?.sub ?? null;
  const limit = Math.min(Math.max(opts.limit ?? PAGE_SIZE, 1), 100);
  const cursor = decodeCursor(opts.after);
  return asUser(claims, async (tx) => {
    const k = sortKey(tx, opts.sort);
    // The cursor names the last comment shown; its current key places the next page.
    const after = cursor
      ? opts.sort === 'recent'
        ? tx`and (c.created_at, c.id) < (select x.created_at, x.id from public.comments x where x.id = ${cursor.id})`
        : tx`and (${k}, c.created_at, c.id) > (select ${sortKey(tx, opts.sort, 'x')}, x.created_at, x.id from public.comments x where x.id = ${cursor.id})`
      : tx``;
    const order = opts.sort === 'recent' ? tx`c.created_at desc, c.id desc` : tx`${k}, c.created_at, c.id`;
    const top = await tx<Row[]>`
      select ${COMMENT_COLUMNS(tx)}, ${k} as sort_key
      from public.comments c left join public.profiles p on p.id = c.author_id
      where c.resource_type = ${resourceType} and c.resource_id = ${resourceId} and c.parent_id is null ${after}
      order by ${order}
      limit ${limit + 1}`;
    const page = top.slice(0, limit);
    const last = page.at(-1);
    const next = top.length > limit && last ? encodeCursor({ k: Number(last.sort_key), t: last.created_at, id: last.id }) : null;
    const roots = page.map((r) => r.id);
    const replyRows = roots.length
      ? await tx<Row[]>`
          with recursive tree as (
            select c.id from public.comments c where c.parent_id = any(${roots}::uuid[])
            union all
            select c.id from public.comments c join tree on c.parent_id = tree.id
          )
          select ${COMMENT_COLUMNS(tx)}, 0 as sort_key
          from public.comments c left join public.profiles p on p.id = c.author_id
          where c.id in (select id from tree)
          order by c.created_at, c.id`
      : [];
    const replies: Record<string, CommentView[]> = {};
    for (const r of replyRows) (replies[r.parent_id ?? ''] ??= []).push(commentView(r, me));
    const official = await tx<Row[]>`
      select ${COMMENT_COLUMNS(tx)}, 0 as sort_key
      from public.comments c left join public.profiles p on p.id = c.author_id
      where c.resource_type = ${resourceType} and c.resource_id = ${resourceId} and c.official and c.deleted_at is null
      order by c.created_at`;
    const [facts] = await tx<{ total: number; can_comment: boolean; can_moderate: boolean; can_answer: boolean; space_id: string | null }[]>`
      select
        (select space_id from public.components where id = private.comment_resource_component(${resourceType}, ${resourceId}::uuid)) as space_id,
        (select count(*)::int from public.comments c where c.resource_type = ${resourceType} and c.resource_id = ${resourceId}) as total,
        (select auth.uid()) is not null
          and coalesce(private.component_allows(private.comment_resource_component(${resourceType}, ${resourceId}::uuid), 'comment'), false) as can_comment,
        coalesce(private.has_space_role((select space_id from public.components where id = private.comment_resource_component(${resourceType}, ${resourceId}::uuid)), 'moderator'), false) as can_moderate,
        coalesce(private.has_space_role((select space_id from public.components where id = private.comment_resource_component(${resourceType}, ${resourceId}::uuid)), 'admin'), false) as can_answer`;
    return {
      comments: page.map((r) => commentView(r, me)),
      replies,
      official: official.map((r) => commentView(r, me)),
      next,
      total: facts?.total ?? 0,
      canComment: facts?.can_comment ?? false,
      canModerate: facts?.can_moderate ?? false,
      canAnswer: facts?.can_answer ?? false,
      spaceId: facts?.space_id ?? null,
    };
  });
}

export interface ThreadFacts {
  canComment: boolean;
  canModerate: boolean;
  canAnswer: boolean;
}

/** What the visitor may do in a thread (comment, moderate, answer officially). */
export async function getThreadFacts(claims: Claims | null, resourceType: string, resourceId: string): Promise<ThreadFacts> {
  const [f] = await asUser(
    claims,
    (tx) => tx<{ can_comment: boolean; can_moderate: boolean; can_answer: boolean }[]>`
      with r as (select private.comment_resource_component(${resourceType}, ${resourceId}::uuid) as component)
      select
        (select auth.uid()) is not null and coalesce(private.component_allows(r.component, 'comment'), false) as can_comment,
        coalesce(private.has_space_role((select space_id from public.components where id = r.component), 'moderator'), false) as can_moderate,
        coalesce(private.has_space_role((select space_id from public.components where id = r.component), 'admin'), false) as can_answer
      from r`,
  );
  return { canComment: f?.can_comment ?? false, canModerate: f?.can_moderate ?? false, canAnswer: f?.can_answer ?? false };
}

/** One comment as the visitor may see it (the island refetches what a broadcast names). */
export async function getComment(claims: Claims | null, id: string): Promise<(CommentView & { resourceType: string; resourceId: string }) | null> {
  const me = claims?.sub ?? null;
  const [row] = await asUser(
    claims,
    (tx) => tx<(Row & { resource_type: string; resource_id: string })[]>`
      select ${COMMENT_COLUMNS(tx)}, 0 as sort_key, c.resource_type, c.resource_id
      from public.comments c left join public.profiles p on p.id = c.author_id where c.id = ${id}`,
  );
  return row ? { ...commentView(row, me), resourceType: row.resource_type, resourceId: row.resource_id } : null;
}

/** Comments of a thread changed since a moment (catching up after a reconnect), oldest change first. */
export async function getChangedSince(claims: Claims | null, resourceType: string, resourceId: string, since: string): Promise<CommentView[]> {
  const me = claims?.sub ?? null;
  const rows = await asUser(
    claims,
    (tx) => tx<Row[]>`
      select ${COMMENT_COLUMNS(tx)}, 0 as sort_key
      from public.comments c left join public.profiles p on p.id = c.author_id
      where c.resource_type = ${resourceType} and c.resource_id = ${resourceId} and c.updated_at > ${since}::timestamptz
      order by c.updated_at, c.id
      limit 200`,
  );
  return rows.map((r) => commentView(r, me));
}

export interface ModerationItem {
  comment: CommentView;
  reports: number;
  componentId: string;
  resourceType: string;
  resourceId: string;
}

/** The moderation queue of a space: reported or hidden comments, most reported first (RLS: moderators see hidden ones). */
export async function getModerationQueue(claims: Claims | null, spaceId: string): Promise<ModerationItem[]> {
  const me = claims?.sub ?? null;
  const rows = await asUser(
    claims,
    (tx) => tx<(Row & { reports_count: number; component_id: string; resource_type: string; resource_id: string })[]>`
      select ${COMMENT_COLUMNS(tx)}, 0 as sort_key, c.reports_count, c.component_id, c.resource_type, c.resource_id
      from public.comments c left join public.profiles p on p.id = c.author_id
      where c.space_id = ${spaceId} and (c.reports_count > 0 or c.hidden_at is not null)
        and (select private.has_space_role(${spaceId}::uuid, 'moderator'))
      order by c.hidden_at is null, c.reports_count desc, c.created_at desc
      limit 200`,
  );
  return rows.map((r) => ({
    comment: commentView(r, me),
    reports: r.reports_count,
    componentId: r.component_id,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
  }));
}

/** Which of these comments the visitor may still see. */
export async function visibleCommentIds(claims: Claims | null, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await asUser(claims, (tx) => tx<{ id: string }[]>`select id from public.comments where id = any(${ids as string[]}::uuid[])`);
  return new Set(rows.map((r) => r.id));
}
