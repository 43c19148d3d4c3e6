import type { ConstraintMap } from '../../lib/forms/db-errors.ts';

/** How the comments schema's named refusals read in a form (shared by the use cases). */
export const COMMENT_CONSTRAINTS: ConstraintMap = {
  comments_max_length: { field: 'body', key: 'comments.error.tooLong' },
  comments_body_length: { field: 'body', key: 'validation.required' },
  comments_depth: { field: 'body', key: 'comments.error.depth' },
  comments_parent: { field: 'body', key: 'comments.error.parent' },
  comments_alignment: { field: 'alignment', key: 'comments.error.alignment' },
  comments_resource: { key: 'error.not_found' },
  comment_votes_pkey: { key: 'validation.invalid' },
  reports_pkey: { field: 'reason', key: 'comments.error.alreadyReported' },
};

/** Where a comment lives, for redirecting back to it. */
export interface CommentRef {
  id: string;
  resourceType: string;
  resourceId: string;
}
