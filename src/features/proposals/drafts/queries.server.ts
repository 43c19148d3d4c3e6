import { asUser, type Claims } from '../../../lib/db/index.ts';

/** Reads of collaborative drafts, as the viewer (RLS decides what they see). */

export type DraftState = 'open' | 'withdrawn' | 'published';

export interface DraftPerson {
  id: string;
  name: string;
  nickname: string;
}

export interface DraftSummary {
  id: string;
  title: string;
  state: DraftState;
  createdAt: Date;
  commentsCount: number;
  collaborators: DraftPerson[];
}

export interface DraftDetail extends DraftSummary {
  componentId: string;
  body: string;
  publishedProposalId: string | null;
  hidden: boolean;
  /** Pending requests (collaborators see them all; a requester sees their own). */
  requests: DraftPerson[];
  viewer: { id: string | null; name: string; collaborator: boolean; requested: boolean; following: boolean };
}

export async function listDrafts(claims: Claims | null, componentId: string): Promise<DraftSummary[]> {
  return asUser(claims, (tx) => tx<DraftSummary[]>`
    select d.id, d.title, d.state, d.created_at as "createdAt", d.comments_count as "commentsCount",
      coalesce((select json_agg(json_build_object('id', p.id, 'name', p.name, 'nickname', p.nickname) order by c.created_at)
                from public.proposal_draft_collaborators c join public.profiles p on p.id = c.user_id where c.draft_id = d.id), '[]') as collaborators
    from public.proposal_collaborative_drafts d
    where d.component_id = ${componentId} and d.hidden_at is null
    order by (d.state = 'open') desc, d.created_at desc
    limit 200`);
}

export async function getDraft(claims: Claims | null, componentId: string, draftId: string): Promise<DraftDetail | null> {
  if (!/^[0-9a-f-]{36}$/.test(draftId)) return null;
  return asUser(claims, async (tx) => {
    const [d] = await tx<(Omit<DraftDetail, 'viewer'> & { collaborator: boolean; requested: boolean; following: boolean; viewer_name: string | null })[]>`
      select d.id, d.component_id as "componentId", d.title, d.body, d.state, d.created_at as "createdAt",
        d.comments_count as "commentsCount", d.published_proposal_id as "publishedProposalId", d.hidden_at is not null as hidden,
        coalesce((select json_agg(json_build_object('id', p.id, 'name', p.name, 'nickname', p.nickname) order by c.created_at)
                  from public.proposal_draft_collaborators c join public.profiles p on p.id = c.user_id where c.draft_id = d.id), '[]') as collaborators,
        coalesce((select json_agg(json_build_object('id', p.id, 'name', p.name, 'nickname', p.nickname) order by r.created_at)
                  from public.proposal_draft_requests r join public.profiles p on p.id = r.user_id where r.draft_id = d.id), '[]') as requests,
        coalesce(private.is_draft_collaborator(d.id), false) as collaborator,
        exists (select 1 from public.proposal_draft_requests r where r.draft_id = d.id and r.user_id = (select auth.uid())) as requested,
        exists (select 1 from public.follows f where f.resource_type = 'collaborative_draft' and f.resource_id = d.id and f.user_id = (select auth.uid())) as following,
        (select p.name from public.profiles p where p.id = (select auth.uid())) as viewer_name
      from public.proposal_collaborative_drafts d
      where d.id = ${draftId} and d.component_id = ${componentId}`;
    if (!d) return null;
    const { collaborator, requested, following, viewer_name: name, ...rest } = d;
    return { ...rest, viewer: { id: typeof claims?.sub === 'string' ? claims.sub : null, name: name ?? '', collaborator, requested, following } };
  });
}
