import { asUser, type Claims, type Tx } from '../../lib/db/index.ts';
import { guarded, Refusal, type ConstraintMap } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import { COMMENT_CONSTRAINTS } from '../comments/write.server.ts';

/*
 * What every write on debates shares: signed in, one transaction as the person, the database's
 * refusals (named constraints) turned into translated messages next to the right field, and the
 * debate read first as the person sees it, so a missing one is a 404 rather than "forbidden".
 */

/** What a write tells the page it came from: which debate to go back to. */
export interface DebateRef {
  id: string;
  componentId: string;
  /** False when the person no longer sees it (hidden by the third report). */
  visible?: boolean;
}

/** Why a debate takes no argument (the database's names), as messages. */
const CLOSED_STATES = {
  debates_closed: 'debates.error.closed',
  debates_withdrawn: 'debates.error.withdrawn',
  debates_hidden: 'debates.error.hidden',
  debates_not_started: 'debates.error.notStarted',
  debates_ended: 'debates.error.ended',
  debates_not_found: 'error.not_found',
} as const;

/** The debates schema's refusals, for the debate forms (fields: title, description, conclusions, taxonomy_id, dates). */
export const DEBATE_CONSTRAINTS: ConstraintMap = {
  debates_title_length: { field: 'title', key: 'debates.error.titleLength' },
  debates_description_length: { field: 'description', key: 'debates.error.descriptionLength' },
  debates_description_size: { field: 'description', key: 'debates.error.descriptionLength' },
  debates_conclusions_length: { field: 'conclusions', key: 'debates.error.conclusionsLength' },
  debates_conclusions_size: { field: 'conclusions', key: 'debates.error.conclusionsLength' },
  debates_edit_window: { key: 'debates.error.editWindow' },
  debates_window: { field: 'ends_at', key: 'debates.error.windowOrder' },
  debates_timed_official: { field: 'starts_at', key: 'debates.error.timedOfficial' },
  debates_texts_translated: { key: 'validation.invalid' },
  debates_taxonomy_id_fkey: { field: 'taxonomy_id', key: 'validation.invalid_reference' },
  debates_component_feature: { key: 'error.not_found' },
  likes_pkey: { key: 'debates.error.alreadyLiked' },
  reports_pkey: { field: 'reason', key: 'debates.error.alreadyReported' },
  ...Object.fromEntries(Object.entries(CLOSED_STATES).map(([c, key]) => [c, { key }])),
};

/** For an argument or a position: the same refusals, next to the text or the side. */
export const ARGUMENT_CONSTRAINTS: ConstraintMap = {
  ...COMMENT_CONSTRAINTS,
  ...Object.fromEntries(Object.entries(CLOSED_STATES).map(([c, key]) => [c, { field: 'body', key }])),
  debate_positions_alignment: { field: 'alignment', key: 'debates.error.alignment' },
};

export interface DebateGate {
  id: string;
  component_id: string;
  space_id: string;
  official: boolean;
  author: boolean;
  closed: boolean;
  withdrawn: boolean;
  hidden: boolean;
  admin: boolean;
  moderator: boolean;
  /** Why it takes no argument now (null: it does). */
  refusal: string | null;
}

/** The debate as the person sees it (RLS: not visible is a 404), with who they are to it. */
export async function gateDebate(tx: Tx, id: string): Promise<DebateGate> {
  const [g] = await tx<DebateGate[]>`
    select d.id, d.component_id, d.space_id, d.official,
      (not d.official and d.author_id = (select auth.uid())) as author,
      d.closed_at is not null as closed, d.withdrawn_at is not null as withdrawn, d.hidden_at is not null as hidden,
      coalesce(private.has_space_role(d.space_id, 'admin'), false) as admin,
      coalesce(private.has_space_role(d.space_id, 'moderator'), false) as moderator,
      private.debate_argument_refusal(d.id) as refusal
    from public.debates d where d.id = ${id}`;
  if (!g) throw new Refusal(failure(404, 'error.not_found'));
  return g;
}

/** The message for a debate that takes no argument now, next to `field`. */
export function closedRefusal(refusal: string, field = 'body'): Refusal {
  const key = (CLOSED_STATES as Record<string, string>)[refusal] ?? 'debates.error.closed';
  return new Refusal(failure(key === 'error.not_found' ? 404 : 422, key, { field }));
}

/** Runs a person's write on debates in one transaction, refusals as form errors. */
export async function participate<T>(
  claims: Claims | null,
  write: (tx: Tx) => Promise<T>,
  constraints: ConstraintMap = DEBATE_CONSTRAINTS,
): Promise<Result<T>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  const r = await guarded(() => asUser(claims, write), constraints);
  return r.ok ? ok(r.value) : notOk(r.failure);
}
