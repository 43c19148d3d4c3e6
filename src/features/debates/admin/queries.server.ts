import { asUser, type Claims } from '../../../lib/db/index.ts';
import type { TranslatedText } from '../../../lib/i18n/translated.ts';
import { isUuid } from '../../../lib/ids.ts';
import { debateStatus, type DebateStatus } from '../debates.ts';

/** A debate as the admin's table lists it (hidden ones too: the space's admins moderate). */
export interface AdminDebateRow {
  id: string;
  title: string;
  official: boolean;
  status: DebateStatus;
  hidden: boolean;
  reports: number;
  for: number;
  against: number;
  neutral: number;
  createdAt: Date;
}

export async function listAdminDebates(claims: Claims | null, componentId: string): Promise<AdminDebateRow[]> {
  const rows = await asUser(
    claims,
    (tx) => tx<
      { id: string; title: string; official: boolean; closed_at: Date | null; withdrawn_at: Date | null; starts_at: Date | null; ends_at: Date | null;
        hidden_at: Date | null; reports_count: number; arguments_for: number; arguments_against: number; arguments_neutral: number; created_at: Date }[]
    >`
      select id, title, official, closed_at, withdrawn_at, starts_at, ends_at, hidden_at, reports_count, arguments_for, arguments_against,
        arguments_neutral, created_at
      from public.debates where component_id = ${componentId}
      order by created_at desc, id desc
      limit 500`,
  );
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    official: r.official,
    status: debateStatus({ closedAt: r.closed_at, withdrawnAt: r.withdrawn_at, startsAt: r.starts_at, endsAt: r.ends_at }),
    hidden: r.hidden_at !== null,
    reports: r.reports_count,
    for: r.arguments_for,
    against: r.arguments_against,
    neutral: r.arguments_neutral,
    createdAt: r.created_at,
  }));
}

/** A debate as the admin's form edits it: dates as wall-clock times in the organization's zone. */
export interface AdminDebate {
  id: string;
  componentId: string;
  official: boolean;
  title: string;
  description: string;
  taxonomyId: string | null;
  startsAt: string | null;
  endsAt: string | null;
  instructions: TranslatedText;
  informationUpdates: TranslatedText;
  closed: boolean;
  conclusions: string;
  withdrawn: boolean;
  hidden: boolean;
  closures: { closed: boolean; actor: string | null; at: Date }[];
}

export async function getAdminDebate(claims: Claims | null, componentId: string, id: string): Promise<AdminDebate | null> {
  if (!isUuid(id)) return null;
  return asUser(claims, async (tx) => {
    const [r] = await tx<
      { id: string; component_id: string; official: boolean; title: string; description: string; taxonomy_id: string | null; starts_local: string | null;
        ends_local: string | null; instructions: TranslatedText; information_updates: TranslatedText; closed: boolean; conclusions: string;
        withdrawn: boolean; hidden: boolean }[]
    >`
      select d.id, d.component_id, d.official, d.title, d.description, d.taxonomy_id,
        to_char(d.starts_at at time zone o.time_zone, 'YYYY-MM-DD"T"HH24:MI') as starts_local,
        to_char(d.ends_at at time zone o.time_zone, 'YYYY-MM-DD"T"HH24:MI') as ends_local,
        d.instructions, d.information_updates, d.closed_at is not null as closed, d.conclusions, d.withdrawn_at is not null as withdrawn,
        d.hidden_at is not null as hidden
      from public.debates d cross join (select time_zone from public.organization limit 1) o
      where d.id = ${id} and d.component_id = ${componentId} and coalesce(private.has_space_role(d.space_id, 'admin'), false)`;
    if (!r) return null;
    const closures = await tx<{ closed: boolean; actor: string | null; created_at: Date }[]>`
      select c.closed, p.name as actor, c.created_at from public.debate_closures c left join public.profiles p on p.id = c.actor_id
      where c.debate_id = ${id} order by c.id`;
    return {
      id: r.id,
      componentId: r.component_id,
      official: r.official,
      title: r.title,
      description: r.description,
      taxonomyId: r.taxonomy_id,
      startsAt: r.starts_local,
      endsAt: r.ends_local,
      instructions: r.instructions,
      informationUpdates: r.information_updates,
      closed: r.closed,
      conclusions: r.conclusions,
      withdrawn: r.withdrawn,
      hidden: r.hidden,
      closures: closures.map((c) => ({ closed: c.closed, actor: c.actor, at: c.created_at })),
    };
  });
}

/** The space's reported or hidden debates, hidden first, most reported next (moderators only, by RLS and the role check). */
export async function getDebateModerationQueue(claims: Claims | null, spaceId: string) {
  const rows = await asUser(
    claims,
    (tx) => tx<
      { id: string; component_id: string; title: string; hidden: boolean; reports_count: number; reasons: { reason: string; count: number }[] | null }[]
    >`
      select d.id, d.component_id, d.title, d.hidden_at is not null as hidden, d.reports_count,
        (select jsonb_agg(jsonb_build_object('reason', r.reason, 'count', r.n) order by r.n desc, r.reason)
           from (select reason, count(*)::int as n from public.reports where resource_type = 'debate' and resource_id = d.id group by reason) r) as reasons
      from public.debates d
      where d.space_id = ${spaceId} and (d.reports_count > 0 or d.hidden_at is not null)
        and (select private.has_space_role(${spaceId}::uuid, 'moderator'))
      order by d.hidden_at is null, d.reports_count desc, d.created_at desc
      limit 200`,
  );
  return rows.map((r) => ({ id: r.id, componentId: r.component_id, title: r.title, hidden: r.hidden, reports: r.reports_count, reasons: r.reasons ?? [] }));
}
