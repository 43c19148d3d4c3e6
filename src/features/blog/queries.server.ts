import { asUser, type Claims } from '../../lib/db/index.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';
import { FEED_SIZE, PAGE_SIZE, type PostDetail, type PostSummary } from './blog.ts';

interface Row {
  id: string;
  component_id: string;
  space_id: string;
  title: TranslatedText;
  body: TranslatedText;
  author_id: string | null;
  author_name: string | null;
  author_nickname: string | null;
  author_avatar: { bucket?: string; name: string } | null;
  author_avatar_url: string | null;
  published_at: Date;
  updated_at: Date;
  edited_at: Date | null;
  hidden_at: Date | null;
  likes_count: number;
  comments_count: number;
}

function summary(r: Row): PostSummary {
  return {
    id: r.id,
    title: r.title,
    body: r.body,
    author: r.author_id
      ? { id: r.author_id, name: r.author_name ?? '', nickname: r.author_nickname ?? '', avatar: r.author_avatar, avatarUrl: r.author_avatar_url }
      : null,
    publishedAt: r.published_at,
    updatedAt: r.updated_at,
    scheduled: r.published_at.getTime() > Date.now(),
    hidden: r.hidden_at !== null,
    likes: r.likes_count,
    comments: r.comments_count,
  };
}

/**
 * A page of a component's posts as the visitor may see them (RLS: out and not hidden for
 * everyone; scheduled ones for the space's team), newest first, and how many there are.
 */
export async function listPosts(claims: Claims | null, componentId: string, page = 1, pageSize = PAGE_SIZE): Promise<{ posts: PostSummary[]; total: number }> {
  const offset = (Math.max(1, page) - 1) * pageSize;
  return asUser(claims, async (tx) => {
    const [rows, [count]] = await Promise.all([
      tx<Row[]>`
        select p.id, p.component_id, p.space_id, p.title, p.body, p.author_id, a.name as author_name, a.nickname as author_nickname, a.avatar as author_avatar, a.avatar_url as author_avatar_url,
               p.published_at, p.updated_at, p.edited_at, p.hidden_at, p.likes_count, p.comments_count
        from public.blog_posts p left join public.profiles a on a.id = p.author_id
        where p.component_id = ${componentId}
        order by p.published_at desc, p.id desc
        limit ${pageSize} offset ${offset}`,
      tx<{ n: number }[]>`select count(*)::int as n from public.blog_posts where component_id = ${componentId}`,
    ]);
    return { posts: rows.map(summary), total: count?.n ?? 0 };
  });
}

/** The posts of a feed: out, not hidden, as a signed-out visitor sees them. */
export async function feedPosts(componentId: string): Promise<PostSummary[]> {
  const rows = await asUser(null, (tx) => tx<Row[]>`
    select p.id, p.component_id, p.space_id, p.title, p.body, p.author_id, a.name as author_name, a.nickname as author_nickname, a.avatar as author_avatar, a.avatar_url as author_avatar_url,
           p.published_at, p.updated_at, p.edited_at, p.hidden_at, p.likes_count, p.comments_count
    from public.blog_posts p left join public.profiles a on a.id = p.author_id
    where p.component_id = ${componentId} and p.published_at <= now() and p.hidden_at is null
    order by p.published_at desc, p.id desc
    limit ${FEED_SIZE}`);
  return rows.map(summary);
}

/** One post as the visitor may see it, with what they did with it; null when they may not. */
export async function getPost(claims: Claims | null, componentId: string, postId: string): Promise<PostDetail | null> {
  return asUser(claims, async (tx) => {
    const [r] = await tx<(Row & { liked: boolean; followed: boolean; reported: boolean; can_moderate: boolean; is_admin: boolean })[]>`
      select p.id, p.component_id, p.space_id, p.title, p.body, p.author_id, a.name as author_name, a.nickname as author_nickname, a.avatar as author_avatar, a.avatar_url as author_avatar_url,
             p.published_at, p.updated_at, p.edited_at, p.hidden_at, p.likes_count, p.comments_count,
             exists (select 1 from public.likes l where l.resource_type = 'blog_post' and l.resource_id = p.id and l.user_id = (select auth.uid())) as liked,
             exists (select 1 from public.follows f where f.resource_type = 'blog_post' and f.resource_id = p.id and f.user_id = (select auth.uid())) as followed,
             exists (select 1 from public.reports r where r.resource_type = 'blog_post' and r.resource_id = p.id and r.user_id = (select auth.uid())) as reported,
             private.has_space_role(p.space_id, 'moderator') as can_moderate,
             private.has_space_role(p.space_id, 'admin') as is_admin
      from public.blog_posts p left join public.profiles a on a.id = p.author_id
      where p.id = ${postId} and p.component_id = ${componentId}`;
    if (!r) return null;
    const sub = claims?.sub ?? null;
    return {
      ...summary(r),
      componentId: r.component_id,
      spaceId: r.space_id,
      editedAt: r.edited_at,
      liked: r.liked,
      followed: r.followed,
      reported: r.reported,
      canEdit: r.is_admin || (r.author_id !== null && r.author_id === sub),
      canModerate: r.can_moderate,
    };
  });
}

export interface ModeratedPost {
  id: string;
  componentId: string;
  title: TranslatedText;
  hidden: boolean;
  reports: number;
  reasons: { reason: string; count: number }[];
}

/** The space's reported or hidden posts, hidden first, most reported next (RLS: the space's moderators). */
export async function getPostModerationQueue(claims: Claims | null, spaceId: string): Promise<ModeratedPost[]> {
  const rows = await asUser(claims, (tx) => tx<{ id: string; component_id: string; title: TranslatedText; hidden: boolean; reports_count: number; reasons: { reason: string; count: number }[] | null }[]>`
    select p.id, p.component_id, p.title, p.hidden_at is not null as hidden, p.reports_count,
           (select jsonb_agg(jsonb_build_object('reason', r.reason, 'count', r.n) order by r.reason)
            from (select reason, count(*)::int as n from public.reports
                  where resource_type = 'blog_post' and resource_id = p.id group by reason) r) as reasons
    from public.blog_posts p
    where p.space_id = ${spaceId} and (p.reports_count > 0 or p.hidden_at is not null)
      and p.space_id = any ((select private.moderated_space_ids())::uuid[])
    order by (p.hidden_at is not null) desc, p.reports_count desc, p.published_at desc
    limit 200`);
  return rows.map((r) => ({ id: r.id, componentId: r.component_id, title: r.title, hidden: r.hidden, reports: r.reports_count, reasons: r.reasons ?? [] }));
}
