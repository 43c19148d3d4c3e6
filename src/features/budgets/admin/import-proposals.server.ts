import { asUser, jsonb, type Claims } from '../../../lib/db/index.ts';
import { Refusal } from '../../../lib/forms/db-errors.ts';
import { failure, notOk, type Result } from '../../../lib/forms/index.ts';
import { spaceHref } from '../../spaces/spaces.ts';
import type { ImportProposalsInput } from '../budgets.ts';
import { budgetsWrite } from '../write.server.ts';

/**
 * Decidim's "import projects from proposals": each published proposal of a proposals component
 * of the same space whose published answer is "accepted" becomes a project of the budget (its
 * title in the organization's language, its body, the answer's cost, its category, address and
 * point), linked to the proposal on the shared resource layer with its title and page. A
 * proposal already linked to a project of the component is not imported again; an accepted
 * proposal without a cost cannot be put to a vote and is counted as skipped. Read and written
 * as the admin: RLS decides.
 */
export async function importProposals(claims: Claims | null, input: ImportProposalsInput, defaultLocale: string): Promise<Result<{ imported: number; skipped: number; budgetId: string }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  return budgetsWrite(() =>
    asUser(claims, async (tx) => {
      const [target] = await tx<{ component_id: string; space_id: string; kind: 'process' | 'assembly'; slug: string }[]>`
        select b.component_id, c.space_id, s.kind, s.slug from public.budgets b
        join public.components c on c.id = b.component_id join public.spaces s on s.id = c.space_id
        where b.id = ${input.budget_id} and private.budgets_admin(b.component_id)`;
      if (!target) throw new Refusal(failure(403, 'error.forbidden'));
      const [source] = await tx<{ id: string }[]>`
        select id from public.components where id = ${input.source_component_id} and space_id = ${target.space_id} and feature = 'proposals'`;
      if (!source) throw new Refusal(failure(422, 'budgets.admin.error.source', { field: 'source_component_id' }));
      const rows = await tx<
        { id: string; title: string; body: string; cost: string | null; taxonomy_id: string | null; address: string | null; latitude: number | null; longitude: number | null }[]
      >`
        select p.id, p.title, p.body, p.cost::text, p.taxonomy_id, p.address, p.latitude, p.longitude
        from public.proposals p join public.proposal_states s on s.id = p.state_id
        where p.component_id = ${source.id} and s.token = 'accepted' and p.published_at is not null and p.withdrawn_at is null
          and p.hidden_at is null and p.amends_id is null
          and not exists (select 1 from public.project_links l join public.projects x on x.id = l.project_id
                          where l.resource_type = 'proposal' and l.resource_id = p.id and x.component_id = ${target.component_id})
        order by p.number`;
      const base = spaceHref('fr', target.kind, target.slug).slice('/fr/'.length);
      let imported = 0;
      let skipped = 0;
      for (const p of rows) {
        const cost = p.cost === null ? 0 : Math.round(Number(p.cost));
        if (cost < 1) {
          skipped++;
          continue;
        }
        const [project] = await tx<{ id: string }[]>`
          insert into public.projects (budget_id, title, description, cost, taxonomy_id, address, latitude, longitude, weight)
          values (${input.budget_id}, ${jsonb(tx, { [defaultLocale]: p.title })}, ${jsonb(tx, { [defaultLocale]: p.body })}, ${cost},
                  ${p.taxonomy_id}, ${p.address}, ${p.latitude}, ${p.longitude}, ${imported})
          returning id`;
        await tx`
          insert into public.project_links (project_id, resource_type, resource_id, title, path)
          values (${project!.id}, 'proposal', ${p.id}, ${p.title.slice(0, 300)}, ${`${base}/f/${source.id}/proposals/${p.id}`})`;
        imported++;
      }
      return { imported, skipped, budgetId: input.budget_id };
    }),
  );
}
