import type postgres from 'postgres';
import { asUser, type Claims, type Tx } from '../../lib/db/index.ts';
import type { TranslatedText } from '../../lib/i18n/translated.ts';
import type { Phase, ProcessFilter, SpaceDetail, SpaceHeroImage, SpaceKind, SpaceSummary, TaxonomyRef } from './spaces.ts';
import { isUuid } from '../../lib/ids.ts';

/*
 * Reads of participatory spaces, always as the visitor (`asUser`): row-level security decides
 * what exists for them (unpublished spaces only for their admins and collaborators, private ones
 * only for members and role holders). Public lists show published spaces only; a direct link
 * to an unpublished one is a preview for those allowed to see it.
 */

interface SummaryRow {
  id: string;
  kind: SpaceKind;
  slug: string;
  title: TranslatedText;
  subtitle: TranslatedText;
  short_description: TranslatedText;
  hero_image_url: string | null;
  hero_image: SpaceHeroImage | null;
  start_date: string | null;
  end_date: string | null;
  promoted: boolean;
  published: boolean;
  private: boolean;
  assembly_type: string | null;
  active_phase_title: TranslatedText | null;
  active_phase_rank: number | null;
  phase_count: number;
}

const summaryColumns = (tx: Tx) => tx`
  s.id, s.kind, s.slug, s.title, s.subtitle, s.short_description, s.hero_image_url, s.hero_image,
  s.start_date::text as start_date, s.end_date::text as end_date, s.promoted,
  s.published_at is not null as published, s.private, s.assembly_type,
  ap.title as active_phase_title, ap.rank as active_phase_rank,
  (select count(*) from public.phases q where q.space_id = s.id)::int as phase_count`;

const activePhaseJoin = (tx: Tx) => tx`
  left join lateral (
    select p.title, (select count(*) from public.phases q where q.space_id = p.space_id and q.position <= p.position)::int as rank
    from public.phases p where p.space_id = s.id and p.active
  ) ap on true`;

function toSummary(r: SummaryRow): SpaceSummary {
  return {
    id: r.id,
    kind: r.kind,
    slug: r.slug,
    title: r.title,
    subtitle: r.subtitle,
    shortDescription: r.short_description,
    heroImageUrl: r.hero_image_url,
    heroImage: r.hero_image,
    startDate: r.start_date,
    endDate: r.end_date,
    promoted: r.promoted,
    published: r.published,
    private: r.private,
    assemblyType: r.assembly_type,
    activePhase:
      r.active_phase_title && r.active_phase_rank
        ? { title: r.active_phase_title, position: r.active_phase_rank, count: r.phase_count }
        : null,
  };
}

/** Today in the organization's time zone (YYYY-MM-DD): what "active", "upcoming" and "past" mean. */
export async function today(tx: Tx): Promise<string> {
  const [row] = await tx<{ today: string }[]>`
    select (now() at time zone coalesce((select o.time_zone from public.organization o limit 1), 'Europe/Paris'))::date::text as today`;
  return row?.today ?? new Date().toISOString().slice(0, 10);
}

/** The taxonomy and all its descendants: filtering by "Quartiers" finds spaces tagged with one district. */
const taxonomyFilter = (tx: Tx, taxonomyId: string | null) =>
  taxonomyId
    ? tx`and exists (
        with recursive sub(id) as (
          select ${taxonomyId}::uuid
          union all
          select t.id from public.taxonomies t join sub on t.parent_id = sub.id
        )
        select 1 from public.space_taxonomies st where st.space_id = s.id and st.taxonomy_id in (select id from sub))`
    : tx``;

const statusFilter = (tx: Tx, filter: ProcessFilter, day: string) => {
  switch (filter) {
    case 'active':
      return tx`and (s.start_date is null or s.start_date <= ${day}::date) and (s.end_date is null or s.end_date >= ${day}::date)`;
    case 'upcoming':
      return tx`and s.start_date > ${day}::date`;
    case 'past':
      return tx`and s.end_date < ${day}::date`;
    case 'all':
      return tx``;
  }
};

export interface ProcessListing {
  today: string;
  processes: SpaceSummary[];
  counts: Record<ProcessFilter, number>;
}

async function listProcessesTx(tx: Tx, filter: ProcessFilter, taxonomyId: string | null, day: string, limit = 200): Promise<SpaceSummary[]> {
  const rows = await tx<SummaryRow[]>`
    select ${summaryColumns(tx)}
    from public.spaces s ${activePhaseJoin(tx)}
    where s.kind = 'process' and s.published_at is not null
      ${statusFilter(tx, filter, day)}
      ${taxonomyFilter(tx, taxonomyId)}
    order by s.promoted desc, s.weight, s.start_date desc nulls last, s.created_at desc
    limit ${limit}`;
  return rows.map(toSummary);
}

/** Published processes for the list page, by status (dates) and taxonomy, with the count of each status. */
export async function listProcesses(claims: Claims | null, opts: { filter: ProcessFilter; taxonomyId: string | null }): Promise<ProcessListing> {
  return asUser(claims, async (tx) => {
    const day = await today(tx);
    const processes = await listProcessesTx(tx, opts.filter, opts.taxonomyId, day);
    const [c] = await tx<{ active: number; upcoming: number; past: number; all: number }[]>`
      select
        count(*) filter (where true ${statusFilter(tx, 'active', day)})::int as active,
        count(*) filter (where true ${statusFilter(tx, 'upcoming', day)})::int as upcoming,
        count(*) filter (where true ${statusFilter(tx, 'past', day)})::int as past,
        count(*)::int as all
      from public.spaces s
      where s.kind = 'process' and s.published_at is not null ${taxonomyFilter(tx, opts.taxonomyId)}`;
    return { today: day, processes, counts: c ?? { active: 0, upcoming: 0, past: 0, all: 0 } };
  });
}

/** Published assemblies: the top-level ones, or the children of one. */
export async function listAssemblies(claims: Claims | null, opts: { parentId?: string | null; taxonomyId?: string | null } = {}): Promise<SpaceSummary[]> {
  return asUser(claims, async (tx) => {
    const parent = opts.parentId ?? null;
    const rows = await tx<SummaryRow[]>`
      select ${summaryColumns(tx)}
      from public.spaces s ${activePhaseJoin(tx)}
      where s.kind = 'assembly' and s.published_at is not null
        and ${parent ? tx`s.parent_id = ${parent}` : tx`(s.parent_id is null or not exists (select 1 from public.spaces p where p.id = s.parent_id))`}
        ${taxonomyFilter(tx, opts.taxonomyId ?? null)}
      order by s.promoted desc, s.weight, s.created_at
      limit 200`;
    return rows.map(toSummary);
  });
}

export interface HomeData {
  today: string;
  promoted: SpaceSummary[];
  active: SpaceSummary[];
  upcoming: SpaceSummary[];
  stats: { processes: number; assemblies: number; participants: number; components: number; componentIdsByFeature: Record<string, string[]> };
}

/** The home page: promoted spaces, active and upcoming processes, and the numbers of the platform. */
export async function getHomeData(claims: Claims | null): Promise<HomeData> {
  return asUser(claims, async (tx) => {
    const day = await today(tx);
    const promotedRows = await tx<SummaryRow[]>`
      select ${summaryColumns(tx)}
      from public.spaces s ${activePhaseJoin(tx)}
      where s.published_at is not null and s.promoted
      order by s.weight, s.start_date desc nulls last, s.created_at desc
      limit 4`;
    const active = await listProcessesTx(tx, 'active', null, day, 6);
    const upcoming = await listProcessesTx(tx, 'upcoming', null, day, 6);
    const [counts] = await tx<{ processes: number; assemblies: number; participants: number }[]>`
      select
        (select count(*) from public.spaces s where s.kind = 'process' and s.published_at is not null)::int as processes,
        (select count(*) from public.spaces s where s.kind = 'assembly' and s.published_at is not null)::int as assemblies,
        (select count(*) from public.profiles)::int as participants`;
    // Published components in published spaces the visitor can see (RLS hides the rest).
    const components = await tx<{ id: string; feature: string }[]>`
      select c.id, c.feature from public.components c join public.spaces s on s.id = c.space_id
      where c.published_at is not null and s.published_at is not null`;
    const componentIdsByFeature: Record<string, string[]> = {};
    for (const c of components) (componentIdsByFeature[c.feature] ??= []).push(c.id);
    return {
      today: day,
      promoted: promotedRows.map(toSummary),
      active,
      upcoming,
      stats: {
        processes: counts?.processes ?? 0,
        assemblies: counts?.assemblies ?? 0,
        participants: counts?.participants ?? 0,
        components: components.length,
        componentIdsByFeature,
      },
    };
  });
}

interface DetailRow extends SummaryRow {
  description: TranslatedText;
  purpose: TranslatedText;
  composition: TranslatedText;
  parent_id: string | null;
  can_admin: boolean;
}

async function detail(tx: Tx, where: postgres.Fragment): Promise<SpaceDetail | null> {
  const [r] = await tx<DetailRow[]>`
    select ${summaryColumns(tx)}, s.description, s.purpose, s.composition, s.parent_id,
      private.has_space_role(s.id, 'admin') as can_admin
    from public.spaces s ${activePhaseJoin(tx)}
    where ${where}`;
  if (!r) return null;
  const taxonomies = await tx<TaxonomyRef[]>`
    select t.id, t.name from public.space_taxonomies st join public.taxonomies t on t.id = st.taxonomy_id
    where st.space_id = ${r.id} order by t.weight, t.created_at`;
  return {
    ...toSummary(r),
    description: r.description,
    purpose: r.purpose,
    composition: r.composition,
    parentId: r.parent_id,
    taxonomies: [...taxonomies],
    canAdmin: r.can_admin,
  };
}

/** A space by its URL, if the visitor may see it (unpublished: only a preview for its admins and collaborators). */
export async function getSpaceBySlug(claims: Claims | null, kind: SpaceKind, slug: string): Promise<SpaceDetail | null> {
  if (!/^[a-z0-9-]{1,80}$/.test(slug)) return null;
  return asUser(claims, (tx) => detail(tx, tx`s.kind = ${kind} and s.slug = ${slug}`));
}

/** A space by id, if the visitor may see it. */
export async function getSpaceById(claims: Claims | null, id: string): Promise<SpaceDetail | null> {
  if (!isUuid(id)) return null;
  return asUser(claims, (tx) => detail(tx, tx`s.id = ${id}`));
}

interface PhaseRow {
  id: string;
  position: number;
  title: TranslatedText;
  description: TranslatedText;
  start_date: string | null;
  end_date: string | null;
  active: boolean;
  cta_text: TranslatedText;
  cta_path: string | null;
}

/** The phases of a process, in order. */
export async function listPhases(claims: Claims | null, spaceId: string): Promise<Phase[]> {
  if (!isUuid(spaceId)) return [];
  const rows = await asUser(
    claims,
    (tx) => tx<PhaseRow[]>`
      select id, position, title, description, start_date::text as start_date, end_date::text as end_date, active, cta_text, cta_path
      from public.phases where space_id = ${spaceId} order by position`,
  );
  return rows.map(toPhase);
}

function toPhase(r: PhaseRow): Phase {
  return {
    id: r.id,
    position: r.position,
    title: r.title,
    description: r.description,
    startDate: r.start_date,
    endDate: r.end_date,
    active: r.active,
    ctaText: r.cta_text,
    ctaPath: r.cta_path,
  };
}

/** One phase with the id of its process, if the visitor may see it. */
export async function getPhase(claims: Claims | null, phaseId: string): Promise<(Phase & { spaceId: string }) | null> {
  if (!isUuid(phaseId)) return null;
  const [r] = await asUser(
    claims,
    (tx) => tx<(PhaseRow & { space_id: string })[]>`
      select id, space_id, position, title, description, start_date::text as start_date, end_date::text as end_date, active, cta_text, cta_path
      from public.phases where id = ${phaseId}`,
  );
  return r ? { ...toPhase(r), spaceId: r.space_id } : null;
}

/*
 * Admin reads.
 */

export interface AdminSpaceRow {
  id: string;
  kind: SpaceKind;
  slug: string;
  title: TranslatedText;
  published: boolean;
  private: boolean;
  promoted: boolean;
  startDate: string | null;
  endDate: string | null;
  componentCount: number;
  phaseCount: number;
}

/** The spaces of a kind the signed-in person administers (all of them for organization admins). */
export async function listAdminSpaces(claims: Claims | null, kind: SpaceKind | null = null): Promise<AdminSpaceRow[]> {
  const rows = await asUser(
    claims,
    (tx) => tx<
      {
        id: string;
        kind: SpaceKind;
        slug: string;
        title: TranslatedText;
        published: boolean;
        private: boolean;
        promoted: boolean;
        start_date: string | null;
        end_date: string | null;
        component_count: number;
        phase_count: number;
      }[]
    >`
      select s.id, s.kind, s.slug, s.title, s.published_at is not null as published, s.private, s.promoted,
        s.start_date::text as start_date, s.end_date::text as end_date,
        (select count(*) from public.components c where c.space_id = s.id)::int as component_count,
        (select count(*) from public.phases p where p.space_id = s.id)::int as phase_count
      from public.spaces s
      where (select private.has_space_role(s.id, 'admin'))
        ${kind ? tx`and s.kind = ${kind}` : tx``}
      order by s.kind desc, s.created_at desc
      limit 500`,
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    slug: r.slug,
    title: r.title,
    published: r.published,
    private: r.private,
    promoted: r.promoted,
    startDate: r.start_date,
    endDate: r.end_date,
    componentCount: r.component_count,
    phaseCount: r.phase_count,
  }));
}

export interface SpacePerson {
  userId: string;
  relation: 'role' | 'member';
  role: string | null;
  name: string;
  nickname: string;
  email: string | null;
  invitationPending: boolean;
}

/** Role holders and private members of a space, for its admins (emails included). */
export async function getSpacePeople(claims: Claims | null, spaceId: string): Promise<SpacePerson[]> {
  if (!isUuid(spaceId)) return [];
  const rows = await asUser(
    claims,
    (tx) => tx<
      { user_id: string; relation: 'role' | 'member'; role: string | null; name: string; nickname: string; email: string | null; invitation_pending: boolean }[]
    >`select user_id, relation, role, name, nickname, email, invitation_pending from public.space_people(${spaceId})`,
  );
  return rows.map((r) => ({
    userId: r.user_id,
    relation: r.relation,
    role: r.role,
    name: r.name,
    nickname: r.nickname,
    email: r.email,
    invitationPending: r.invitation_pending,
  }));
}

/** Assemblies that can be the parent of `exceptId` (not itself; the database refuses cycles). */
export async function listAssemblyParentOptions(claims: Claims | null, exceptId: string | null): Promise<{ id: string; title: TranslatedText }[]> {
  const rows = await asUser(
    claims,
    (tx) => tx<{ id: string; title: TranslatedText }[]>`
      select s.id, s.title from public.spaces s
      where s.kind = 'assembly' ${exceptId ? tx`and s.id <> ${exceptId}` : tx``}
      order by s.created_at limit 500`,
  );
  return [...rows];
}

/** Today in the organization's time zone, for pages that place spaces in time. */
export async function getToday(claims: Claims | null): Promise<string> {
  return asUser(claims, today);
}
