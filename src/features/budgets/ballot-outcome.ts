import type { AstroGlobal } from 'astro';
import { actions } from 'astro:actions';

/**
 * What a ballot form posted without JavaScript came to: on success, back to where the person
 * was (post/redirect/get: the project's card, or the ballot after a checkout); on a refusal, the
 * error the page shows in the ballot (the page keeps the action's status).
 */
export type BallotActionName = 'addProject' | 'removeProject' | 'checkout' | 'emptyBallot';
export type BallotOutcome = { kind: 'none' } | { kind: 'redirect'; location: string } | { kind: 'error'; action: BallotActionName; error: unknown };

const NAMES: readonly BallotActionName[] = ['addProject', 'removeProject', 'checkout', 'emptyBallot'];

export function ballotOutcome(astro: AstroGlobal, back: string): BallotOutcome {
  const [ns, fn] = (astro.url.searchParams.get('_action') ?? '').split('.');
  const name = NAMES.find((n) => n === fn);
  if (ns !== 'budgets' || !name) return { kind: 'none' };
  const result = astro.getActionResult(actions.budgets[name]);
  if (!result) return { kind: 'none' };
  if (result.error) return { kind: 'error', action: name, error: result.error };
  const data = result.data as { projectId?: string };
  const anchor = data.projectId && (name === 'addProject' || name === 'removeProject') ? `#project-${data.projectId}` : '#ballot';
  return { kind: 'redirect', location: `${back}${anchor}` };
}
