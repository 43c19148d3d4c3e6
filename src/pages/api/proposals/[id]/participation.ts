import type { APIRoute } from 'astro';
import { getProposal } from '@/features/proposals/detail-queries.server.ts';
import type { ProposalParticipation } from '@/features/proposals/ProposalLive.tsx';
import { isUuid } from '@/lib/ids.ts';
import { privateJson } from '@/lib/http/json.ts';

/**
 * What the visitor's participation buttons show on a proposal's page, as JSON, read as the
 * visitor after one of their writes (the island's form submitted without reload): the counts
 * (supports null while the phase hides them), whether they support, like and follow it, and how
 * many supports they have cast in the component (the vote limit is counted against it).
 * `?component=<id>`; 404 when they may not see the proposal.
 */
export const GET: APIRoute = async ({ params, url, locals }) => {
  const id = params['id'] ?? '';
  const componentId = url.searchParams.get('component') ?? '';
  if (!isUuid(id) || !isUuid(componentId)) return privateJson({ error: 'not_found' }, 404);
  const p = await getProposal(locals.claims, componentId, id);
  if (!p) return privateJson({ error: 'not_found' }, 404);
  const body: ProposalParticipation = {
    supports: p.supports,
    likes: p.likes,
    follows: p.follows,
    supported: p.viewer.supported,
    liked: p.viewer.liked,
    following: p.viewer.following,
    supportsCast: p.viewer.supportsCast,
  };
  return privateJson(body, 200);
};
