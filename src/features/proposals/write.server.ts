import type { ConstraintMap } from '../../lib/forms/db-errors.ts';

/**
 * How the proposals schema's named refusals read in a form (every proposals use case passes this
 * to `guarded`). Field names are the forms' (`title`, `body`, `address`…).
 */
export const PROPOSAL_CONSTRAINTS: ConstraintMap = {
  proposals_title_length: { field: 'title', key: 'proposals.error.titleLength' },
  proposals_body_length: { field: 'body', key: 'proposals.error.bodyLength' },
  proposals_body_required: { field: 'body', key: 'proposals.error.bodyRequired' },
  proposals_body_size: { field: 'body', key: 'proposals.error.bodyLength' },
  proposals_geocoding: { field: 'address', key: 'proposals.error.geocoding' },
  proposals_point: { field: 'address', key: 'validation.invalid' },
  proposals_address_length: { field: 'address', key: 'validation.invalid' },
  proposals_limit: { key: 'proposals.error.limit' },
  proposals_edit_window: { key: 'proposals.error.editWindow' },
  proposals_withdrawn: { key: 'proposals.error.withdrawn' },
  proposals_published: { key: 'proposals.error.published' },
  proposals_amends: { key: 'proposals.error.amends' },
  proposals_amend_own: { key: 'proposals.error.amendOwn' },
  proposals_amendment_answered: { key: 'proposals.error.amendmentAnswered' },
  proposals_amendment_promote: { key: 'proposals.error.amendmentPromote' },
  proposals_taxonomy_id_fkey: { field: 'taxonomy_id', key: 'validation.invalid_reference' },
  proposal_supports_limit: { key: 'proposals.error.voteLimit' },
  proposal_supports_threshold: { key: 'proposals.error.threshold' },
  proposal_supports_pkey: { key: 'proposals.error.alreadySupported' },
  likes_pkey: { key: 'proposals.error.alreadyLiked' },
  reports_pkey: { field: 'reason', key: 'proposals.error.alreadyReported' },
  proposal_coauthors_last: { key: 'proposals.error.lastAuthor' },
  proposal_answers_enabled: { key: 'proposals.error.answersDisabled' },
  proposal_answers_costs: { field: 'cost', key: 'proposals.error.answersCosts' },
  proposal_answers_component_id_state_id_fkey: { field: 'state_id', key: 'proposals.error.state' },
  proposals_component_id_state_id_fkey: { field: 'state_id', key: 'proposals.error.state' },
};

/**
 * Postgres gave up on a transaction to break a deadlock (40P01) or a serialisation conflict
 * (40001): two supporters reaching the minimum at once lock each other's proposals in
 * different orders. The write is safe to run again.
 */
export function isRetryable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

export async function withRetry<T>(write: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await write();
    } catch (err) {
      if (i >= attempts || !isRetryable(err)) throw err;
    }
  }
}
