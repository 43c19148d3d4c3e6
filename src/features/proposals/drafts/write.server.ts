import { asUser, type Claims, type Tx } from '../../../lib/db/index.ts';
import { guarded, Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../../lib/forms/index.ts';
import { PROPOSAL_CONSTRAINTS } from '../write.server.ts';

/** How the drafts' named refusals read in a form, on top of the proposals' own. */
export const DRAFT_CONSTRAINTS = {
  ...PROPOSAL_CONSTRAINTS,
  proposal_collaborative_drafts_title_length: { field: 'title', key: 'proposals.error.titleLength' },
  proposal_collaborative_drafts_open: { key: 'proposals.drafts.error.notOpen' },
  proposal_collaborative_drafts_publish: { key: 'proposals.drafts.error.notOpen' },
  proposal_draft_collaborators_request: { key: 'proposals.drafts.error.noRequest' },
  proposal_draft_collaborators_last: { key: 'proposals.drafts.error.lastCollaborator' },
  proposal_draft_collaborators_pkey: { key: 'proposals.drafts.error.alreadyCollaborator' },
  proposal_draft_requests_open: { key: 'proposals.drafts.error.notOpen' },
  proposal_draft_requests_collaborator: { key: 'proposals.drafts.error.alreadyCollaborator' },
  proposal_draft_requests_pkey: { key: 'proposals.drafts.error.alreadyRequested' },
};

export interface DraftRef {
  id: string;
  componentId: string;
  /** Set once published: the proposal it became. */
  proposalId?: string;
}

export interface DraftGate {
  id: string;
  component_id: string;
  state: 'open' | 'withdrawn' | 'published';
  collaborator: boolean;
  settings: Record<string, unknown>;
}

/** The draft as the person sees it (RLS: invisible is a 404), and whether they collaborate on it. */
export async function gateDraft(tx: Tx, id: string): Promise<DraftGate> {
  const [g] = await tx<DraftGate[]>`
    select d.id, d.component_id, d.state, coalesce(private.is_draft_collaborator(d.id), false) as collaborator, c.settings
    from public.proposal_collaborative_drafts d join public.components c on c.id = d.component_id
    where d.id = ${id}`;
  if (!g) throw new Refusal(failure(404, 'error.not_found'));
  return g;
}

/** Signed in, one transaction as the person, the database's refusals as form errors. */
export async function draftWrite<T>(claims: Claims | null, write: (tx: Tx) => Promise<T>): Promise<Result<T>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  const r = await guarded(() => asUser(claims, write), DRAFT_CONSTRAINTS);
  return r.ok ? ok(r.value) : notOk(r.failure);
}
