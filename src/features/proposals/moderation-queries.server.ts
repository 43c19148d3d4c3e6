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

/** One line of the queue for collaborative drafts. */
export interface DraftModerationItem {
  id: string;
  componentId: string;
  title: string;
  state: 'open' | 'withdrawn' | 'published';
  hidden: boolean;
  reports: number;
  reasons: Array<{ reason: ReportReason; count: number }>;
}

/**
 * The space's reported or hidden collaborative drafts (reportable through the shared layer),
 * hidden first, most reported next, read as the viewer: RLS gives hidden drafts to the space's
 * moderators (and their collaborators), reports to moderators; the moderator check keeps
 * collaborators' own hidden drafts out of a list they cannot act on.
 */
export async function getDraftModerationQueue(claims: Claims | null, spaceId: string): Promise<DraftModerationItem[]> {
  const rows = await asUser(
    claims,
    (tx) => tx<
      {
        id: string;
        component_id: string;
        title: string;
        state: DraftModerationItem['state'];
        hidden: boolean;
        reports_count: number;
        reasons: Array<{ reason: ReportReason; count: number }> | null;
      }[]
    >`
      select d.id, d.component_id, d.title, d.state, d.hidden_at is not null as hidden, d.reports_count,
             (select jsonb_agg(jsonb_build_object('reason', r.reason, 'count', r.n) order by r.n desc, r.reason)
                from (select reason, count(*)::int as n from public.reports where resource_type = 'collaborative_draft' and resource_id = d.id group by reason) r) as reasons
      from public.proposal_collaborative_drafts d
      where d.space_id = ${spaceId} and (d.reports_count > 0 or d.hidden_at is not null)
        and (select private.has_space_role(${spaceId}::uuid, 'moderator'))
      order by d.hidden_at is null, d.reports_count desc, d.created_at desc
      limit 200`,
  );
  return rows.map((r) => ({
    id: r.id,
    componentId: r.component_id,
    title: r.title,
    state: r.state,
    hidden: r.hidden,
    reports: r.reports_count,
    reasons: r.reasons ?? [],
  }));
}
