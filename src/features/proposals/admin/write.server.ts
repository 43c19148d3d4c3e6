import { asUser, type Claims, type Tx } from '../../../lib/db/index.ts';
import { guarded, Refusal, type ConstraintMap } from '../../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../../lib/forms/index.ts';
import { PROPOSAL_CONSTRAINTS } from '../write.server.ts';

/** Named refusals of the admin functions (merge, split, import, states) on top of the shared ones. */
export const ADMIN_CONSTRAINTS: ConstraintMap = {
  ...PROPOSAL_CONSTRAINTS,
  proposals_merge_count: { field: 'ids', key: 'proposals.admin.error.mergeCount' },
  proposals_merge_component: { field: 'ids', key: 'proposals.admin.error.mergeComponent' },
  proposals_split_count: { field: 'title', key: 'proposals.admin.error.splitCount' },
  proposals_import_source: { field: 'source_id', key: 'proposals.admin.error.source' },
  proposal_states_component_id_token_key: { field: 'token', key: 'proposals.admin.error.tokenTaken' },
  proposal_states_token: { field: 'token', key: 'proposals.admin.error.token' },
  proposal_states_name: { field: 'name', key: 'validation.required' },
  proposal_states_color: { field: 'color', key: 'validation.color' },
  proposal_notes_body: { field: 'body', key: 'validation.required' },
  proposal_notes_parent_id_fkey: { field: 'body', key: 'validation.invalid_reference' },
  proposal_evaluators_user_id_fkey: { field: 'evaluator_id', key: 'proposals.admin.error.evaluator' },
  proposal_answers_cost: { field: 'cost', key: 'proposals.admin.error.cost' },
  proposals_cost: { field: 'cost', key: 'proposals.admin.error.cost' },
};

/**
 * Every admin write: signed in, one transaction as the person (RLS, triggers and the security
 * definer functions decide), the database's refusals as translated form errors.
 */
export async function adminWrite<T>(claims: Claims | null, write: (tx: Tx) => Promise<T>, constraints: ConstraintMap = ADMIN_CONSTRAINTS): Promise<Result<T>> {
  if (!claims?.sub) return notOk(failure(401, 'error.unauthorized'));
  return guarded(() => asUser(claims, write), constraints);
}

/**
 * The proposal a write of its answer or notes is about: 404 when the person does not see it, 403
 * unless they may answer it (a space admin, or an evaluator assigned to it).
 */
export async function gateAnswering(tx: Tx, proposalId: string): Promise<{ componentId: string }> {
  const [p] = await tx<{ component_id: string; allowed: boolean }[]>`
    select component_id, private.can_answer_proposal(id) as allowed from public.proposals where id = ${proposalId}`;
  if (!p) throw new Refusal(failure(404, 'error.not_found'));
  if (!p.allowed) throw new Refusal(failure(403, 'error.forbidden'));
  return { componentId: p.component_id };
}
