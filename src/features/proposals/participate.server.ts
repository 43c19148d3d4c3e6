import { asUser, type Claims, type Tx } from '../../lib/db/index.ts';
import { guarded, Refusal } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Failure, type Result } from '../../lib/forms/index.ts';
import { PROPOSAL_CONSTRAINTS, withRetry } from './write.server.ts';

/*
 * What every participant write on proposals shares: signed in, one transaction as the person,
 * the database's refusals turned into form errors, and the gate read first so that a closed
 * phase or a withdrawn proposal says so instead of a bare "forbidden".
 */

/** What a write tells the page it came from: which proposal to go back to. */
export interface ProposalRef {
  id: string;
  componentId: string;
  /** False when the proposal is no longer visible to the person (hidden by the third report). */
  visible?: boolean;
  /** False for a draft (the wizard goes on to its next step). */
  published?: boolean;
}

export type ProposalAction = 'create' | 'vote' | 'like' | 'comment' | 'amend' | 'react_to_amendment' | 'promote_amendment';

export interface ProposalGate {
  id: string;
  component_id: string;
  space_id: string;
  published: boolean;
  withdrawn: boolean;
  hidden: boolean;
  amends_id: string | null;
  amendment_state: string | null;
  author: boolean;
  allowed: boolean;
  settings: Record<string, unknown>;
}

/**
 * The proposal as the person sees it (RLS: not visible is a 404) with whether the action is
 * open in the active phase. `open`: the proposal must be published, neither withdrawn nor hidden.
 */
export async function gateProposal(tx: Tx, id: string, action: ProposalAction | null, opts: { open?: boolean } = {}): Promise<ProposalGate> {
  const [g] = await tx<ProposalGate[]>`
    select p.id, p.component_id, p.space_id, p.published_at is not null as published, p.withdrawn_at is not null as withdrawn,
      p.hidden_at is not null as hidden, p.amends_id, p.amendment_state,
      coalesce(private.is_proposal_author(p.id), false) as author,
      ${action ? tx`coalesce(private.component_allows(p.component_id, ${action}), false)` : tx`true`} as allowed,
      c.settings
    from public.proposals p join public.components c on c.id = p.component_id
    where p.id = ${id}`;
  if (!g) throw new Refusal(failure(404, 'error.not_found'));
  if (opts.open && (!g.published || g.withdrawn || g.hidden)) throw new Refusal(failure(422, 'proposals.error.notOpen'));
  if (!g.allowed) throw new Refusal(failure(403, 'proposals.error.closed'));
  return g;
}

const PARAMS: Record<string, string> = { 'proposals.error.limit': 'proposal_limit', 'proposals.error.voteLimit': 'vote_limit' };

/** Limits named in a refusal ("at most {max}") get their number from the component's settings. */
function withLimit(f: Failure, settings: Record<string, unknown> | undefined): Failure {
  const setting = PARAMS[f.message.key];
  if (!setting) return f;
  const max = settings?.[setting];
  return { ...f, message: { key: f.message.key, params: { max: typeof max === 'number' ? max : '—' } } };
}

/**
 * Runs a participant write. `settings` is filled by the write (the gate's) so that limits can be
 * named in the message; `retry` for supports (deadlocks between supporters are retried).
 */
export async function participate<T>(
  claims: Claims | null,
  write: (tx: Tx, ctx: { settings?: Record<string, unknown> }) => Promise<T>,
  opts: { retry?: boolean } = {},
): Promise<Result<T>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  const ctx: { settings?: Record<string, unknown> } = {};
  const run = () => asUser(claims, (tx) => write(tx, ctx));
  const r = await guarded(() => (opts.retry ? withRetry(run) : run()), PROPOSAL_CONSTRAINTS);
  return r.ok ? ok(r.value) : notOk(withLimit(r.failure, ctx.settings));
}
