import { asUser, jsonb, type Claims } from '../../../lib/db/index.ts';
import { Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../../lib/forms/index.ts';
import type { BudgetInput } from '../budgets.ts';
import { budgetsWrite } from '../write.server.ts';

/**
 * Creates a budget in a budgets component, or updates one (RLS: the space's admins). Once
 * people have ballots in it, the database keeps its envelope and rule as they voted under.
 */
export async function saveBudget(claims: Claims | null, input: BudgetInput): Promise<Result<{ id: string; componentId: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  if (input.vote_rule === 'projects_range' && input.range_max < input.range_min) return notOk(failure(422, 'budgets.error.range', { field: 'range_max' }));
  return budgetsWrite(() =>
    asUser(claims, async (tx) => {
      const values = {
        title: jsonb(tx, input.title),
        description: jsonb(tx, input.description),
      };
      if (input.budget_id) {
        const rows = await tx<{ id: string }[]>`
          update public.budgets set title = ${values.title}, description = ${values.description}, total_budget = ${input.total_budget},
            taxonomy_id = ${input.taxonomy_id}, weight = ${input.weight}, vote_rule = ${input.vote_rule},
            threshold_percent = ${input.threshold_percent}, minimum_projects = ${input.minimum_projects},
            range_min = ${input.range_min}, range_max = ${input.range_max}, selection_method = ${input.selection_method}
          where id = ${input.budget_id} and component_id = ${input.component_id}
          returning id`;
        if (rows.length === 0) throw new Refusal(failure(403, 'error.forbidden'));
        return { id: rows[0]!.id, componentId: input.component_id };
      }
      const [row] = await tx<{ id: string }[]>`
        insert into public.budgets (component_id, title, description, total_budget, taxonomy_id, weight, vote_rule, threshold_percent,
                                    minimum_projects, range_min, range_max, selection_method)
        values (${input.component_id}, ${values.title}, ${values.description}, ${input.total_budget}, ${input.taxonomy_id}, ${input.weight},
                ${input.vote_rule}, ${input.threshold_percent}, ${input.minimum_projects}, ${input.range_min}, ${input.range_max},
                ${input.selection_method})
        returning id`;
      return { id: row!.id, componentId: input.component_id };
    }),
  );
}
