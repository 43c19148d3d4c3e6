import { asUser, type Claims } from '../../lib/db/index.ts';
import { isUuid } from '../../lib/ids.ts';
import type { CommentView } from '../comments/comments.ts';
import { COMMENT_COLUMNS, commentView, type CommentRow } from '../comments/queries.server.ts';
import { ARGUMENTS_PAGE_SIZE, SIDES, type Side } from './debates.ts';

/*
 * A debate's arguments, column by column: the comments on the `debate` resource, top-level ones
 * by alignment (for, against, neutral), each with its replies. A column shows its latest page in
 * the order they were written (new ones arrive at its end, where the live island appends them,
 * so nothing the reader is reading moves); "earlier arguments" pages back by keyset. Read as the
 * viewer: RLS keeps hidden arguments for moderators, and the debate's own visibility.
 */

export interface ArgumentColumn {
  side: Side;
  /** Chronological: oldest of the page first. */
  items: CommentView[];
  /** Cursor of the page before this one (older arguments), if any. */
  before: string | null;
  /** Whether this is the latest page (new arguments may be appended live). */
  latest: boolean;
}

export interface ArgumentColumns {
  columns: Record<Side, ArgumentColumn>;
  /** Replies by parent id, oldest first. */
  replies: Record<string, CommentView[]>;
}

const ALIGN: Record<Side, number> = { for: 1, against: -1, neutral: 0 };

/** `before` per side: the id of the oldest argument shown, to page back from. */
export async function getArgumentColumns(
  claims: Claims | null,
  debateId: string,
  before: Partial<Record<Side, string | null>> = {},
  limit = ARGUMENTS_PAGE_SIZE,
): Promise<ArgumentColumns> {
  const me = claims?.sub ?? null;
  return asUser(claims, async (tx) => {
    const columns = {} as Record<Side, ArgumentColumn>;
    // One query for the three columns: each side's page, newest first, numbered per side.
    const cursors = SIDES.map((s) => (before[s] && isUuid(before[s]!) ? before[s]! : null));
    const rows = await tx<(CommentRow & { n: number })[]>`
      select * from (
        select ${COMMENT_COLUMNS(tx)},
          row_number() over (partition by c.alignment order by c.created_at desc, c.id desc)::int as n
        from public.comments c left join public.profiles p on p.id = c.author_id
        where c.resource_type = 'debate' and c.resource_id = ${debateId} and c.parent_id is null
          and (
            (c.alignment = 1 ${cursors[0] ? tx`and (c.created_at, c.id) < (select x.created_at, x.id from public.comments x where x.id = ${cursors[0]})` : tx``})
            or (c.alignment = -1 ${cursors[1] ? tx`and (c.created_at, c.id) < (select x.created_at, x.id from public.comments x where x.id = ${cursors[1]})` : tx``})
            or (c.alignment = 0 ${cursors[2] ? tx`and (c.created_at, c.id) < (select x.created_at, x.id from public.comments x where x.id = ${cursors[2]})` : tx``}))
      ) x where x.n <= ${limit + 1}
      order by x.created_at, x.id`;
    for (const side of SIDES) {
      const mine = rows.filter((r) => r.alignment === ALIGN[side]);
      const more = mine.length > limit;
      const page = more ? mine.slice(1) : mine;
      columns[side] = {
        side,
        items: page.map((r) => commentView(r, me)),
        before: more && page[0] ? page[0].id : null,
        latest: !cursors[SIDES.indexOf(side)],
      };
    }
    // The replies of the shown arguments: every reply of the debate in one scan (one read of
    // the table, so RLS's per-query lookups run once), kept when they descend from a shown one.
    const roots = new Set(SIDES.flatMap((s) => columns[s].items.map((c) => c.id)));
    const replyRows = roots.size
      ? await tx<CommentRow[]>`
          select ${COMMENT_COLUMNS(tx)}
          from public.comments c left join public.profiles p on p.id = c.author_id
          where c.resource_type = 'debate' and c.resource_id = ${debateId} and c.parent_id is not null
          order by c.depth, c.created_at, c.id`
      : [];
    const replies: Record<string, CommentView[]> = {};
    const shown = new Set(roots);
    // By depth, then in the order written: a parent comes before its replies, and each parent's
    // replies in order (a reply under a reply the viewer cannot see stays out).
    for (const r of replyRows) {
      if (!r.parent_id || !shown.has(r.parent_id)) continue;
      shown.add(r.id);
      (replies[r.parent_id] ??= []).push(commentView(r, me));
    }
    return { columns, replies };
  });
}

/** One argument or reply as the viewer may see it, with the debate it belongs to (the live island inserts it). */
export async function getArgument(claims: Claims | null, commentId: string): Promise<(CommentView & { debateId: string }) | null> {
  if (!isUuid(commentId)) return null;
  const me = claims?.sub ?? null;
  const [row] = await asUser(
    claims,
    (tx) => tx<(CommentRow & { resource_id: string })[]>`
      select ${COMMENT_COLUMNS(tx)}, c.resource_id
      from public.comments c left join public.profiles p on p.id = c.author_id
      where c.id = ${commentId} and c.resource_type = 'debate'`,
  );
  return row ? { ...commentView(row, me), debateId: row.resource_id } : null;
}
