import type { Translator } from "../../lib/i18n/catalog.ts";
import { BUDGETS_CONSTRAINTS } from "./budgets.ts";

/** The live ballot's words (BallotLive's `messages`): its buttons, what it announces, and every refusal it may show. */
export function ballotLiveMessages(t: Translator<never>) {
  const errorKeys = [
    ...Object.values(BUDGETS_CONSTRAINTS).map((c) => c.key),
    "error.generic",
    "error.unauthorized",
    "error.forbidden",
    "error.not_found",
    "validation.confirm",
  ];
  return {
    add: t.dynamic("budgets.project.add"),
    remove: t.dynamic("budgets.project.remove"),
    added: t.dynamic("budgets.live.added"),
    removed: t.dynamic("budgets.live.removed"),
    checkedOut: t.dynamic("budgets.live.checkedOut"),
    emptied: t.dynamic("budgets.live.emptied"),
    votes: {
      one: t.dynamic("budgets.votes.one"),
      other: t.dynamic("budgets.votes.other"),
    },
    errors: Object.fromEntries(errorKeys.map((k) => [k, t.dynamic(k)])),
  };
}
