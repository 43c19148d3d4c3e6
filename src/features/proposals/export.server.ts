import type postgres from 'postgres';
import { ANON_CLAIMS, asUser, type Claims, type Tx } from '../../lib/db/index.ts';
import type { Locale } from '../../lib/i18n/locales.ts';
import { translated, type TranslatedText } from '../../lib/i18n/translated.ts';
import { spaceHref, type SpaceKind } from '../spaces/spaces.ts';
import { adminScope, authorNicknames, type AdminContext } from './admin/queries.server.ts';
import { plainText, type ExportedProposal } from './export.ts';
import { proposalHref } from './proposals.ts';

interface Row {
  id: string;
  number: string;
  title: string;
  body: string;
  component_id: string;
  space_kind: SpaceKind;
  space_slug: string;
  state_token: string | null;
  state_name: TranslatedText | null;
  answer: TranslatedText;
  supports: number | null;
  likes_count: number;
  comments_count: number;
  follows_count: number;
  taxonomy: TranslatedText | null;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  authors: string[];
  official: boolean;
  withdrawn: boolean;
  published_at: Date | null;
  internal_state: string | null;
  answer_published: boolean | null;
}

/**
 * The rows as the viewer may read them (RLS): `where` narrows to a component or to open data;
 * `components` is the uuid[] of the components read (for their support counts).
 */
async function read(tx: Tx, where: postgres.Fragment, components: postgres.Fragment, withAnswers: boolean): Promise<Row[]> {
  return tx<Row[]>`
    select p.id, p.number, p.title, p.body, p.component_id, s.kind as space_kind, s.slug as space_slug,
      st.token as state_token, st.name as state_name, p.answer,
      case when private.votes_hidden(p.component_id) then null else sp.supports end as supports,
      p.likes_count, p.comments_count, p.follows_count,
      (select t.name from public.taxonomies t where t.id = p.taxonomy_id) as taxonomy,
      p.address, p.latitude, p.longitude,
      ${authorNicknames(tx)} as authors,
      p.official, p.withdrawn_at is not null as withdrawn, p.published_at,
      ${withAnswers ? tx`(select s2.token from public.proposal_answers pa join public.proposal_states s2 on s2.id = pa.state_id where pa.proposal_id = p.id)` : tx`null::text`} as internal_state,
      ${withAnswers ? tx`(select pa.published_at is not null from public.proposal_answers pa where pa.proposal_id = p.id)` : tx`null::boolean`} as answer_published
    from public.proposals p
    join public.spaces s on s.id = p.space_id
    left join public.proposal_states st on st.id = p.state_id
    -- The counts of the exported components in one call (the API roles do not read the column).
    left join private.component_proposal_supports(${components}) sp on sp.proposal_id = p.id
    where p.published_at is not null and p.amends_id is null and ${where}
    order by p.number`;
}

function shape(rows: Row[], origin: string, locale: Locale, defaultLocale: string, admin: boolean): ExportedProposal[] {
  return rows.map((r) => {
    const out: ExportedProposal = {
      id: r.id,
      number: Number(r.number),
      title: r.title,
      body: plainText(r.body),
      state: r.state_token,
      state_name: r.state_name ? translated(r.state_name, locale, defaultLocale) : null,
      answer: plainText(translated(r.answer, locale, defaultLocale)) || null,
      supports: r.supports,
      likes: r.likes_count,
      comments: r.comments_count,
      follows: r.follows_count,
      taxonomy: r.taxonomy ? translated(r.taxonomy, locale, defaultLocale) : null,
      address: r.address,
      latitude: r.latitude,
      longitude: r.longitude,
      authors: r.authors,
      official: r.official,
      withdrawn: r.withdrawn,
      published_at: r.published_at ? r.published_at.toISOString() : null,
      url: origin + proposalHref(spaceHref(locale, r.space_kind, r.space_slug), r.component_id, r.id),
    };
    if (admin) {
      out.internal_state = r.internal_state;
      out.answer_published = r.answer_published ?? false;
    }
    return out;
  });
}

/** A component's proposals for its admins (all) or an evaluator (those assigned to them). */
export async function exportComponentProposals(
  claims: Claims | null,
  ctx: AdminContext,
  opts: { origin: string; locale: Locale; defaultLocale: string },
): Promise<ExportedProposal[]> {
  const rows = await asUser(claims, (tx) =>
    read(tx, tx`p.component_id = ${ctx.componentId} and ${adminScope(tx, ctx.isAdmin)}`, tx`array[${ctx.componentId}::uuid]`, true),
  );
  return shape(rows, opts.origin, opts.locale, opts.defaultLocale, true);
}

/**
 * Open data: every published, visible, not withdrawn proposal of the organization's public
 * components, read as an anonymous visitor (private spaces, unpublished components, hidden
 * proposals and drafts stay out by RLS).
 */
export async function openDataProposals(opts: { origin: string; locale: Locale; defaultLocale: string }): Promise<ExportedProposal[]> {
  const rows = await asUser(ANON_CLAIMS, (tx) =>
    read(tx, tx`p.withdrawn_at is null and p.hidden_at is null`, tx`array(select c.id from public.components c where c.feature = 'proposals')`, false),
  );
  return shape(rows, opts.origin, opts.locale, opts.defaultLocale, false);
}

export interface ExportedComment {
  id: string;
  proposal_id: string;
  proposal_number: number;
  parent_id: string | null;
  author: string | null;
  body: string;
  alignment: number | null;
  created_at: string;
}

/** The comments on a component's proposals, as the viewer may read them. */
export async function exportProposalComments(claims: Claims | null, ctx: AdminContext): Promise<ExportedComment[]> {
  const rows = await asUser(
    claims,
    (tx) => tx<{ id: string; proposal_id: string; number: string; parent_id: string | null; author: string | null; body: string; alignment: number | null; created_at: Date }[]>`
      select c.id, p.id as proposal_id, p.number, c.parent_id, pr.nickname as author, c.body, c.alignment, c.created_at
      from public.comments c
      join public.proposals p on p.id = c.resource_id and c.resource_type = 'proposal'
      left join public.profiles pr on pr.id = c.author_id
      where p.component_id = ${ctx.componentId} and c.deleted_at is null and c.hidden_at is null and ${adminScope(tx, ctx.isAdmin)}
      order by p.number, c.created_at`,
  );
  return rows.map((r) => ({
    id: r.id,
    proposal_id: r.proposal_id,
    proposal_number: Number(r.number),
    parent_id: r.parent_id,
    author: r.author,
    body: r.body,
    alignment: r.alignment,
    created_at: r.created_at.toISOString(),
  }));
}
