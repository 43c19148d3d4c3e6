import type { AstroGlobal } from 'astro';
import { actions } from 'astro:actions';

/*
 * What a builder form posted without JavaScript came to (as `commentsOutcome` for comments): on
 * success the data its page needs to send the admin on (post/redirect/get); on failure the
 * action and its error, which the page shows next to the form that failed (the page keeps the
 * action's 4xx status).
 */

export type FormsActionName = keyof typeof actions.forms;
export type FormsOutcome =
  | { kind: 'none' }
  | { kind: 'done'; action: FormsActionName; data: { questionnaireId: string; questionId?: string; cleared?: number } }
  | { kind: 'error'; action: FormsActionName; error: unknown };

// `actions.forms` is a proxy (no own keys): the names are listed here.
const NAMES: readonly FormsActionName[] = [
  'updateQuestionnaire', 'addQuestion', 'updateQuestion', 'deleteQuestion', 'moveQuestion', 'duplicateQuestion',
  'savePart', 'movePart', 'duplicatePart', 'deletePart', 'addCondition', 'deleteCondition', 'clearResponses', 'publishResults',
];

export function formsOutcome(astro: AstroGlobal): FormsOutcome {
  const [ns, fn] = (astro.url.searchParams.get('_action') ?? '').split('.');
  const name = NAMES.find((n) => n === fn);
  if (ns !== 'forms' || !name) return { kind: 'none' };
  const result = astro.getActionResult(actions.forms[name]);
  if (!result) return { kind: 'none' };
  if (result.error) return { kind: 'error', action: name, error: result.error };
  return { kind: 'done', action: name, data: result.data as { questionnaireId: string; questionId?: string } };
}

/** The status line a builder page shows after a successful write (`?done=…`). */
export const DONE_BY_ACTION: Record<FormsActionName, string> = {
  updateQuestionnaire: 'detailsSaved',
  addQuestion: 'saved',
  updateQuestion: 'saved',
  deleteQuestion: 'deleted',
  moveQuestion: 'moved',
  duplicateQuestion: 'duplicated',
  savePart: 'saved',
  movePart: 'moved',
  duplicatePart: 'duplicated',
  deletePart: 'deleted',
  addCondition: 'saved',
  deleteCondition: 'deleted',
  clearResponses: 'cleared',
  publishResults: 'published',
};
