import { asUser, jsonb, type Claims } from '../../../lib/db/index.ts';
import { Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../../lib/forms/index.ts';
import type { ProjectInput } from '../budgets.ts';
import { budgetsWrite } from '../write.server.ts';

/** Creates or updates a project of a budget (RLS: the space's admins; its cost stays once on ballots). */
export async function saveProject(claims: Claims | null, input: ProjectInput): Promise<Result<{ id: string; budgetId: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  if ((input.latitude === null) !== (input.longitude === null)) return notOk(failure(422, 'validation.invalid', { field: input.latitude === null ? 'latitude' : 'longitude' }));
  return budgetsWrite(() =>
    asUser(claims, async (tx) => {
      if (input.project_id) {
        const rows = await tx<{ id: string }[]>`
          update public.projects set title = ${jsonb(tx, input.title)}, description = ${jsonb(tx, input.description)}, cost = ${input.cost},
            taxonomy_id = ${input.taxonomy_id}, address = ${input.address}, latitude = ${input.latitude ?? null}, longitude = ${input.longitude ?? null},
            weight = ${input.weight}
          where id = ${input.project_id} and budget_id = ${input.budget_id}
          returning id`;
        if (rows.length === 0) throw new Refusal(failure(403, 'error.forbidden'));
        return { id: rows[0]!.id, budgetId: input.budget_id };
      }
      const [row] = await tx<{ id: string }[]>`
        insert into public.projects (budget_id, title, description, cost, taxonomy_id, address, latitude, longitude, weight)
        values (${input.budget_id}, ${jsonb(tx, input.title)}, ${jsonb(tx, input.description)}, ${input.cost}, ${input.taxonomy_id},
                ${input.address}, ${input.latitude ?? null}, ${input.longitude ?? null}, ${input.weight})
        returning id`;
      return { id: row!.id, budgetId: input.budget_id };
    }),
  );
}
