import type { ModerationQueueDefinition, ResourceDefinition } from '../../lib/components/manifest.ts';

/**
 * The resource type comments register on the shared layer (…3000_comments.sql): reported by
 * whoever reads them, hidden and shown again from the space's moderation queue, their edits kept.
 * Apart from comments.ts so the registry does not pull the Markdown renderer along.
 */
export const commentResource: ResourceDefinition = {
  type: 'comment',
  can: ['reportable', 'moderated', 'versioned'],
  // In the one search (…053100_comments_search.sql): found where the commented resource is seen.
  search: { label: { fr: 'Commentaires', en: 'Comments' }, path: (id) => `#comment-${id}` },
};

/** Comments' section of a space's moderation queue. */
export const commentModeration: ModerationQueueDefinition = {
  key: 'comments',
  hideAction: 'comments.hideComment',
  section: () => import('./ModerationQueue.astro'),
};
