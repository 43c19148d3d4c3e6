import { useEffect } from 'preact/hooks';
import { joinLiveChannel } from '../../lib/supabase/live-channel.ts';
import type { CommentView } from './comments.ts';
import { commentsTopic } from './topic.ts';

/**
 * The live half of a comment thread. The server rendered the thread; this island joins the
 * resource's private Realtime channel (authorised by RLS on realtime.messages) and, for each
 * broadcast (which names a comment and what changed, never its content), fetches the comment as
 * this visitor may see it and patches the page in place: new comments appended, edits, votes
 * and deletions updated, hidden ones removed. It never re-renders a form, so a textarea someone
 * is typing in is never reset. Updates are announced politely in the thread's live region.
 * After a reconnect it asks for everything changed since the last update it saw.
 */

interface Props {
  supabaseUrl: string;
  supabaseKey: string;
  resourceType: string;
  resourceId: string;
  locale: string;
  /** The newest `updated_at` the server rendered: catch-up starts there. */
  since: string;
  maxLength: number;
  alignmentEnabled: boolean;
  /** `heading` keeps its `{count}` placeholder: the island fills it as comments come and go. */
  messages: { heading: string; created: string; updated: string; removed: string; deleted: string };
}

interface Broadcast {
  comment_id?: string;
  changes?: string[];
  updated_at?: string;
}

export default function CommentsLive(props: Props) {
  useEffect(() => {
    const section = document.getElementById('comments');
    const list = section?.querySelector<HTMLElement>('[data-comments-list]');
    const live = section?.querySelector<HTMLElement>('[data-comments-live-region]');
    const heading = section?.querySelector<HTMLElement>('[data-comments-heading]');
    if (!section || !list || !live) return;
    let lastSeen = props.since;
    let stopped = false;

    const announce = (text: string) => {
      // A fresh text node each time, so screen readers announce repeated messages too.
      live.textContent = '';
      window.setTimeout(() => {
        live.textContent = text;
      }, 50);
    };

    /** The heading's "Commentaires (n)" follows the comments that arrive and leave live. */
    const count = (delta: number) => {
      if (!heading) return;
      const n = Math.max(0, (Number(heading.dataset['count']) || 0) + delta);
      heading.dataset['count'] = String(n);
      heading.textContent = props.messages.heading.replace('{count}', String(n));
    };

    const apply = (c: CommentView) => {
      if (c.updatedAt > lastSeen) lastSeen = c.updatedAt;
      const existing = document.getElementById(`comment-${c.id}`);
      if (existing) {
        const body = existing.querySelector<HTMLElement>(':scope > .comment__body');
        if (c.deleted) {
          existing.querySelector(':scope > .comment__actions')?.remove();
          if (body) {
            const p = document.createElement('p');
            p.className = 'comment__notice';
            p.textContent = props.messages.deleted;
            body.replaceWith(p);
          }
          announce(props.messages.removed);
          return;
        }
        // The html comes from the server's Markdown renderer, which escapes everything first.
        if (body && body.innerHTML !== c.html) body.innerHTML = c.html;
        const votes = existing.querySelectorAll<HTMLButtonElement>(':scope > .comment__actions button[name="value"]');
        for (const b of votes) b.textContent = b.textContent?.replace(/\(\d+\)/, `(${b.value === 'up' ? c.upVotes : c.downVotes})`) ?? '';
        existing.dataset['updatedAt'] = c.updatedAt;
        return;
      }
      if (c.deleted || c.hidden) return;
      const parent = c.parentId ? document.getElementById(`comment-${c.parentId}`) : null;
      if (c.parentId && !parent) return;
      void insertRendered(c, parent);
    };

    /** A new comment, rendered by the server with its forms, placed at the end of its thread. */
    const insertRendered = async (c: CommentView, parent: HTMLElement | null) => {
      const q = new URLSearchParams({
        page: window.location.pathname,
        locale: props.locale,
        max: String(props.maxLength),
        alignment: String(props.alignmentEnabled),
      });
      const res = await fetch(`/api/comments/fragment/${encodeURIComponent(c.id)}?${q.toString()}`, { credentials: 'same-origin' });
      if (!res.ok || stopped || document.getElementById(`comment-${c.id}`)) return;
      const template = document.createElement('template');
      // Server-rendered markup of our own (escaped text, sanitised Markdown), not user HTML.
      template.innerHTML = (await res.text()).trim();
      const article = template.content.querySelector('article');
      if (!article) return;
      if (parent) {
        let replies = parent.querySelector<HTMLElement>(':scope > .comment__replies');
        if (!replies) {
          replies = document.createElement('div');
          replies.className = 'comment__replies';
          parent.append(replies);
        }
        replies.append(article);
      } else {
        list.querySelector(':scope > p:only-child')?.remove();
        list.append(article);
      }
      count(1);
      announce(props.messages.created.replace('{name}', c.author?.name ?? '—'));
    };

    const remove = (id: string) => {
      const el = document.getElementById(`comment-${id}`);
      if (el && !el.contains(document.activeElement)) {
        el.remove();
        count(-1);
        announce(props.messages.removed);
      }
    };

    const fetchOne = async (id: string) => {
      const res = await fetch(`/api/comments/${encodeURIComponent(id)}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (stopped) return;
      if (res.status === 404) return remove(id);
      if (!res.ok) return;
      const { comment } = (await res.json()) as { comment: CommentView };
      if (comment.hidden && !document.getElementById(`comment-${id}`)?.classList.contains('comment--hidden')) return remove(id);
      apply(comment);
    };

    const catchUp = async () => {
      const ids = [...section.querySelectorAll<HTMLElement>('article[data-comment-id]')].map((a) => a.dataset['commentId']).slice(0, 200);
      const q = new URLSearchParams({ resource_type: props.resourceType, resource_id: props.resourceId, since: lastSeen, ids: ids.join(',') });
      const res = await fetch(`/api/comments/changes?${q.toString()}`, { credentials: 'same-origin' });
      if (!res.ok || stopped) return;
      const { comments, removed } = (await res.json()) as { comments: CommentView[]; removed: string[] };
      for (const c of comments) apply(c);
      for (const id of removed) remove(id);
    };

    const leave = joinLiveChannel<Broadcast>({
      supabaseUrl: props.supabaseUrl,
      supabaseKey: props.supabaseKey,
      topic: commentsTopic(props.resourceType, props.resourceId),
      event: 'comment',
      onMessage: (payload) => {
        if (typeof payload.comment_id === 'string') void fetchOne(payload.comment_id);
      },
      marker: section,
      // Back after a disconnection: everything changed since the last update seen.
      onRejoin: () => void catchUp(),
    });
    return () => {
      stopped = true;
      leave();
    };
  }, [props.resourceType, props.resourceId]);

  return null;
}
