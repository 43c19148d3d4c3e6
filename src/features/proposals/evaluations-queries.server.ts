import { asUser, type Claims } from '../../lib/db/index.ts';
import type { TranslatedText } from '../../lib/i18n/index.ts';

/** A proposals component the viewer evaluates, for their account page. */
export interface EvaluationEntry {
  spaceId: string;
  spaceTitle: TranslatedText;
  componentId: string;
  componentName: TranslatedText;
  /** Proposals of the component assigned to the viewer (that they can see). */
  assigned: number;
}

/**
 * The proposals components of the spaces where the viewer holds the evaluator role, with how
 * many proposals are assigned to them in each; read as the viewer (their own roles and
 * assignments, the spaces and components they can see). Empty for everyone else.
 */
export async function listMyEvaluations(claims: Claims | null): Promise<EvaluationEntry[]> {
  if (!claims?.sub) return [];
  const rows = await asUser(
    claims,
    (tx) => tx<{ space_id: string; space_title: TranslatedText; component_id: string; component_name: TranslatedText; assigned: number }[]>`
      select s.id as space_id, s.title as space_title, c.id as component_id, c.name as component_name,
        (select count(*)::int from public.proposal_evaluators e join public.proposals p on p.id = e.proposal_id
          where e.user_id = (select auth.uid()) and p.component_id = c.id) as assigned
      from public.space_roles r
      join public.spaces s on s.id = r.space_id
      join public.components c on c.space_id = s.id and c.feature = 'proposals'
      where r.user_id = (select auth.uid()) and r.role = 'evaluator'
      order by s.created_at desc, c.created_at
      limit 100`,
  );
  return rows.map((r) => ({
    spaceId: r.space_id,
    spaceTitle: r.space_title,
    componentId: r.component_id,
    componentName: r.component_name,
    assigned: r.assigned,
  }));
}
