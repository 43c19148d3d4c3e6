import type postgres from 'postgres';
import { ANON_CLAIMS, asUser, type Claims, type Tx } from '../../lib/db/index.ts';
import { htmlToText } from '../../lib/html/sanitize.ts';
import type { Locale } from '../../lib/i18n/locales.ts';
import { translated, type TranslatedText } from '../../lib/i18n/translated.ts';
import { spaceHref, type SpaceKind } from '../spaces/spaces.ts';
import { debateHref, debateStatus, sideOf } from './debates.ts';

/*
 * Exports of debates (the admin's CSV/JSON, open data) with their arguments, as Decidim exports
 * debates with their comments. Read as the viewer (RLS): open data reads as an anonymous visitor,
 * so private spaces, unpublished components and hidden debates stay out.
 */

export interface ExportedDebate {
  id: string;
  title: string;
  description: string;
  official: boolean;
  author: string | null;
  taxonomy: string | null;
  state: string;
  starts_at: string | null;
  ends_at: string | null;
  created_at: string;
  closed_at: string | null;
  conclusions: string | null;
  arguments_for: number;
  arguments_against: number;
  arguments_neutral: number;
  positions_for: number;
  positions_against: number;
  positions_neutral: number;
  comments: number;
  likes: number;
  follows: number;
  last_argument_at: string | null;
  url: string;
}

export const DEBATE_COLUMNS = [
  'id', 'title', 'description', 'official', 'author', 'taxonomy', 'state', 'starts_at', 'ends_at', 'created_at', 'closed_at', 'conclusions',
  'arguments_for', 'arguments_against', 'arguments_neutral', 'positions_for', 'positions_against', 'positions_neutral', 'comments', 'likes',
  'follows', 'last_argument_at', 'url',
] as const;

export interface ExportedArgument {
  id: string;
  debate_id: string;
  parent_id: string | null;
  side: string;
  author: string | null;
  body: string;
  up_votes: number;
  down_votes: number;
  created_at: string;
}

export const ARGUMENT_COLUMNS = ['id', 'debate_id', 'parent_id', 'side', 'author', 'body', 'up_votes', 'down_votes', 'created_at'] as const;

interface Row {
  id: string;
  title: string;
  description: string;
  official: boolean;
  author: string | null;
  taxonomy: TranslatedText | null;
  starts_at: Date | null;
  ends_at: Date | null;
  created_at: Date;
  closed_at: Date | null;
  withdrawn_at: Date | null;
  conclusions: string;
  arguments_for: number;
  arguments_against: number;
  arguments_neutral: number;
  positions_for: number;
  positions_against: number;
  positions_neutral: number;
  comments_count: number;
  likes_count: number;
  follows_count: number;
  last_argument_at: Date | null;
  component_id: string;
  space_kind: SpaceKind;
  space_slug: string;
}

async function read(tx: Tx, where: postgres.Fragment): Promise<Row[]> {
  return tx<Row[]>`
    select d.id, d.title, d.description, d.official, p.nickname as author, t.name as taxonomy, d.starts_at, d.ends_at, d.created_at,
      d.closed_at, d.withdrawn_at, d.conclusions, d.arguments_for, d.arguments_against, d.arguments_neutral, d.positions_for,
      d.positions_against, d.positions_neutral, d.comments_count, d.likes_count, d.follows_count, d.last_argument_at, d.component_id,
      s.kind as space_kind, s.slug as space_slug
    from public.debates d
    join public.spaces s on s.id = d.space_id
    left join public.profiles p on p.id = d.author_id
    left join public.taxonomies t on t.id = d.taxonomy_id
    where ${where}
    order by d.created_at, d.id`;
}

function shape(rows: Row[], opts: { origin: string; locale: Locale; defaultLocale: string }): ExportedDebate[] {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    description: htmlToText(r.description),
    official: r.official,
    author: r.official ? null : r.author,
    taxonomy: r.taxonomy ? translated(r.taxonomy, opts.locale, opts.defaultLocale) : null,
    state: debateStatus({ closedAt: r.closed_at, withdrawnAt: r.withdrawn_at, startsAt: r.starts_at, endsAt: r.ends_at }),
    starts_at: iso(r.starts_at),
    ends_at: iso(r.ends_at),
    created_at: r.created_at.toISOString(),
    closed_at: iso(r.closed_at),
    conclusions: r.conclusions ? htmlToText(r.conclusions) : null,
    arguments_for: r.arguments_for,
    arguments_against: r.arguments_against,
    arguments_neutral: r.arguments_neutral,
    positions_for: r.positions_for,
    positions_against: r.positions_against,
    positions_neutral: r.positions_neutral,
    comments: r.comments_count,
    likes: r.likes_count,
    follows: r.follows_count,
    last_argument_at: iso(r.last_argument_at),
    url: opts.origin + debateHref(`${spaceHref(opts.locale, r.space_kind, r.space_slug)}/f/${r.component_id}`, r.id),
  }));
}

async function readArguments(tx: Tx, where: postgres.Fragment): Promise<ExportedArgument[]> {
  const rows = await tx<{ id: string; debate_id: string; parent_id: string | null; alignment: number; author: string | null; body: string; up_votes: number; down_votes: number; created_at: Date }[]>`
    select c.id, c.resource_id as debate_id, c.parent_id, c.alignment, p.nickname as author, c.body, c.up_votes, c.down_votes, c.created_at
    from public.comments c
    join public.debates d on d.id = c.resource_id
    left join public.profiles p on p.id = c.author_id
    where c.resource_type = 'debate' and c.deleted_at is null and c.hidden_at is null and ${where}
    order by d.created_at, d.id, c.created_at, c.id`;
  return rows.map((r) => ({
    id: r.id,
    debate_id: r.debate_id,
    parent_id: r.parent_id,
    side: r.parent_id ? 'reply' : sideOf(r.alignment),
    author: r.author,
    body: r.body,
    up_votes: r.up_votes,
    down_votes: r.down_votes,
    created_at: r.created_at.toISOString(),
  }));
}

/** A component's debates for its admins (hidden ones included: they see them). */
export async function exportComponentDebates(claims: Claims | null, componentId: string, opts: { origin: string; locale: Locale; defaultLocale: string }) {
  return asUser(claims, async (tx) => ({
    debates: shape(await read(tx, tx`d.component_id = ${componentId}`), opts),
    arguments: await readArguments(tx, tx`d.component_id = ${componentId}`),
  }));
}

/** Open data: every visible debate of the organization's public debates components, with its arguments. */
export async function openDataDebates(opts: { origin: string; locale: Locale; defaultLocale: string }) {
  return asUser(ANON_CLAIMS, async (tx) => ({
    debates: shape(await read(tx, tx`d.hidden_at is null`), opts),
    arguments: await readArguments(tx, tx`d.hidden_at is null`),
  }));
}
