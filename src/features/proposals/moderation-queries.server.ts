import { asUser, type Claims } from '../../lib/db/index.ts';

/** Why people reported a proposal, as the database names the reasons. */
export type ReportReason = 'spam' | 'offensive' | 'does_not_belong';

/** One line of a space's moderation queue for proposals. */
export interface ProposalModerationItem {
  id: string;
  componentId: string;
  number: number;
  title: string;
  hidden: boolean;
  withdrawn: boolean;
  reports: number;
  /** Reports per reason, most frequent first. */
  reasons: Array<{ reason: ReportReason; count: number }>;
  /** The published state's translated name (jsonb) and colour, if answered. */
  stateName: unknown;
  stateColor: string | null;
}

/**
 * The space's reported or hidden proposals (published ones), hidden first, most reported next,
 * read as the viewer: RLS gives hidden proposals and the reports to the space's moderators (and
 * admins) only, and the query returns nothing to anyone else.
 */
export async function getProposalModerationQueue(claims: Claims | null, spaceId: string): Promise<ProposalModerationItem[]> {
  const rows = await asUser(
    claims,
    (tx) => tx<
      {
        id: string;
        component_id: string;
        number: number;
        title: string;
        hidden: boolean;
        withdrawn: boolean;
        reports_count: number;
        reasons: Array<{ reason: ReportReason; count: number }> | null;
        state_name: unknown;
        state_color: string | null;
      }[]
    >`
      select p.id, p.component_id, p.number::int as number, p.title, p.hidden_at is not null as hidden, p.withdrawn_at is not null as withdrawn,
             p.reports_count, s.name as state_name, s.color as state_color,
             (select jsonb_agg(jsonb_build_object('reason', r.reason, 'count', r.n) order by r.n desc, r.reason)
                from (select reason, count(*)::int as n from public.reports where resource_type = 'proposal' and resource_id = p.id group by reason) r) as reasons
      from public.proposals p
      left join public.proposal_states s on s.id = p.state_id
      where p.space_id = ${spaceId} and p.published_at is not null and (p.reports_count > 0 or p.hidden_at is not null)
        and (select private.has_space_role(${spaceId}::uuid, 'moderator'))
      order by p.hidden_at is null, p.reports_count desc, p.created_at desc
      limit 200`,
  );
  return rows.map((r) => ({
    id: r.id,
    componentId: r.component_id,
    number: r.number,
    title: r.title,
    hidden: r.hidden,
    withdrawn: r.withdrawn,
    reports: r.reports_count,
    reasons: r.reasons ?? [],
    stateName: r.state_name,
    stateColor: r.state_color,
  }));
}
