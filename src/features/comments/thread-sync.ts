import { joinLiveChannel } from '../../lib/supabase/live-channel.ts';
import type { CommentView } from './comments.ts';
import { commentsTopic } from './topic.ts';

/**
 * Keeps a server-rendered comment thread in step with the database, for every island that shows
 * one (a resource's comments, a debate's arguments). It joins the resource's private comments
 * channel (RLS on realtime.messages authorises it); a broadcast names a comment, never its text,
 * so the comment is fetched as this visitor may see it and patched in place: new ones rendered by
 * the server with their forms and appended (a form someone is typing in is never re-rendered),
 * edits and votes updated, deleted ones emptied, hidden ones removed unless the reader is acting
 * on them. After a reconnection it asks for everything changed since the last update it saw.
 */

/** The fields of a comment the page patches (`/api/comments/<id>` answers a CommentView). */
export type LiveComment = Pick<CommentView, 'id' | 'parentId' | 'alignment' | 'html' | 'upVotes' | 'downVotes' | 'updatedAt' | 'deleted' | 'hidden' | 'author'>;

export interface ThreadSyncOptions {
  supabaseUrl: string;
  supabaseKey: string;
  resourceType: string;
  resourceId: string;
  /** Where the thread's articles are (the ids sent on catch-up). */
  root: HTMLElement;
  /** The newest `updated_at` the server rendered. */
  since: string;
  /** The server-rendered fragment of a new top-level comment or reply; null: not shown here. */
  fragmentUrl: (c: LiveComment) => string | null;
  /** Places a new top-level comment's article; false when the page has nowhere for it. */
  placeTop: (article: HTMLElement, c: LiveComment) => boolean;
  /** A comment deleted by its author: what stays of it (its body is the island's to replace or remove). */
  onDeleted: (existing: HTMLElement, body: HTMLElement | null) => void;
  onInserted: (c: LiveComment) => void;
  onUpdated?: () => void;
  onRemoved: () => void;
}

/** Puts a reply at the end of its parent's replies (made when it has none yet). */
function appendReply(parent: HTMLElement, article: HTMLElement): void {
  let replies = parent.querySelector<HTMLElement>(':scope > .comment__replies');
  if (!replies) {
    replies = document.createElement('div');
    replies.className = 'comment__replies';
    parent.append(replies);
  }
  replies.append(article);
}

/** Starts following; returns what stops it. */
export function syncThread(o: ThreadSyncOptions): () => void {
  let lastSeen = o.since || new Date(0).toISOString();
  let stopped = false;

  const insert = async (c: LiveComment) => {
    const parent = c.parentId ? document.getElementById(`comment-${c.parentId}`) : null;
    if (c.parentId && !parent) return;
    const url = o.fragmentUrl(c);
    if (!url) return;
    const res = await fetch(url, { credentials: 'same-origin' });
    if (!res.ok || stopped || document.getElementById(`comment-${c.id}`)) return;
    const template = document.createElement('template');
    // Server-rendered markup of our own (escaped text, sanitised Markdown), not user HTML.
    template.innerHTML = (await res.text()).trim();
    const article = template.content.querySelector('article');
    if (!article) return;
    if (parent) appendReply(parent, article);
    else if (!o.placeTop(article, c)) return;
    o.onInserted(c);
  };

  const apply = (c: LiveComment) => {
    if (c.updatedAt > lastSeen) lastSeen = c.updatedAt;
    const existing = document.getElementById(`comment-${c.id}`);
    if (!existing) {
      if (!c.deleted && !c.hidden) void insert(c);
      return;
    }
    const body = existing.querySelector<HTMLElement>(':scope > .comment__body');
    if (c.deleted) {
      existing.querySelector(':scope > .comment__actions')?.remove();
      o.onDeleted(existing, body);
      return;
    }
    // The html comes from the server's Markdown renderer, which escapes everything first.
    if (body && body.innerHTML !== c.html) {
      body.innerHTML = c.html;
      o.onUpdated?.();
    }
    for (const b of existing.querySelectorAll<HTMLButtonElement>(':scope > .comment__actions button[name="value"]')) {
      b.textContent = b.textContent?.replace(/\(\d+\)/, `(${b.value === 'up' ? c.upVotes : c.downVotes})`) ?? '';
    }
    existing.dataset['updatedAt'] = c.updatedAt;
  };

  const remove = (id: string) => {
    const el = document.getElementById(`comment-${id}`);
    // Never pull away what the reader is acting on.
    if (el && !el.contains(document.activeElement)) {
      el.remove();
      o.onRemoved();
    }
  };

  const fetchOne = async (id: string) => {
    const res = await fetch(`/api/comments/${encodeURIComponent(id)}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (stopped) return;
    if (res.status === 404) return remove(id);
    if (!res.ok) return;
    const { comment } = (await res.json()) as { comment: LiveComment };
    if (comment.hidden && !document.getElementById(`comment-${id}`)?.classList.contains('comment--hidden')) return remove(id);
    apply(comment);
  };

  const catchUp = async () => {
    const ids = [...o.root.querySelectorAll<HTMLElement>('article[data-comment-id]')].map((a) => a.dataset['commentId']).slice(0, 200);
    const q = new URLSearchParams({ resource_type: o.resourceType, resource_id: o.resourceId, since: lastSeen, ids: ids.join(',') });
    const res = await fetch(`/api/comments/changes?${q.toString()}`, { credentials: 'same-origin' });
    if (!res.ok || stopped) return;
    const { comments, removed } = (await res.json()) as { comments: LiveComment[]; removed: string[] };
    for (const c of comments) apply(c);
    for (const id of removed) remove(id);
  };

  const leave = joinLiveChannel<{ comment_id?: string }>({
    supabaseUrl: o.supabaseUrl,
    supabaseKey: o.supabaseKey,
    topic: commentsTopic(o.resourceType, o.resourceId),
    event: 'comment',
    onMessage: (payload) => {
      if (typeof payload.comment_id === 'string') void fetchOne(payload.comment_id);
    },
    marker: o.root,
    onRejoin: () => void catchUp(),
  });
  return () => {
    stopped = true;
    leave();
  };
}
