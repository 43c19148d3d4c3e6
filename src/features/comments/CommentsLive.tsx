import { useEffect } from 'preact/hooks';
import { syncThread } from './thread-sync.ts';

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

export default function CommentsLive(props: Props) {
  useEffect(() => {
    const section = document.getElementById('comments');
    const list = section?.querySelector<HTMLElement>('[data-comments-list]');
    const live = section?.querySelector<HTMLElement>('[data-comments-live-region]');
    const heading = section?.querySelector<HTMLElement>('[data-comments-heading]');
    if (!section || !list || !live) return;

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

    return syncThread({
      supabaseUrl: props.supabaseUrl,
      supabaseKey: props.supabaseKey,
      resourceType: props.resourceType,
      resourceId: props.resourceId,
      root: section,
      since: props.since,
      fragmentUrl: (c) => {
        const q = new URLSearchParams({
          page: window.location.pathname,
          locale: props.locale,
          max: String(props.maxLength),
          alignment: String(props.alignmentEnabled),
        });
        return `/api/comments/fragment/${encodeURIComponent(c.id)}?${q.toString()}`;
      },
      placeTop: (article) => {
        list.querySelector(':scope > p:only-child')?.remove();
        list.append(article);
        return true;
      },
      onDeleted: (_existing, body) => {
        if (body) {
          const p = document.createElement('p');
          p.className = 'comment__notice';
          p.textContent = props.messages.deleted;
          body.replaceWith(p);
        }
        announce(props.messages.removed);
      },
      onInserted: (c) => {
        count(1);
        announce(props.messages.created.replace('{name}', c.author?.name ?? '—'));
      },
      onRemoved: () => {
        count(-1);
        announce(props.messages.removed);
      },
    });
  }, [props.resourceType, props.resourceId]);

  return null;
}
