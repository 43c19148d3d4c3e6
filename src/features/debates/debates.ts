import { toDate } from '../../lib/i18n/dates.ts';

/**
 * Debates: types and pure rules shared by the server, the pages and the islands (no server
 * imports, no zod, no Markdown: islands import this file).
 */

export const DEBATE_SORTS = ['recent_activity', 'most_commented', 'most_liked', 'recent'] as const;
export type DebateSort = (typeof DEBATE_SORTS)[number];
export const STATE_FILTERS = ['open', 'closed', 'all'] as const;
export type StateFilter = (typeof STATE_FILTERS)[number];
export const ORIGIN_FILTERS = ['official', 'participants'] as const;
export type OriginFilter = (typeof ORIGIN_FILTERS)[number];

export const LIST_PAGE_SIZE = 20;
/** Arguments per column shown at first, then a page more per "show more". */
export const ARGUMENTS_PAGE_SIZE = 20;
export const TEXT_FILTER_MAX = 200;

/** In favour, against, neutral: the comments' alignment values. */
export const ALIGNMENTS = [1, -1, 0] as const;
export type Alignment = (typeof ALIGNMENTS)[number];
export type Side = 'for' | 'against' | 'neutral';
export function sideOf(alignment: number): Side {
  return alignment === 1 ? 'for' : alignment === -1 ? 'against' : 'neutral';
}
export const SIDES: readonly Side[] = ['for', 'against', 'neutral'];
export const ALIGNMENT_OF: Record<Side, Alignment> = { for: 1, against: -1, neutral: 0 };

/**
 * Where a debate stands now: open to arguments, not yet started or ended (timed debates),
 * closed with conclusions, or withdrawn by its author.
 */
export type DebateStatus = 'open' | 'upcoming' | 'ended' | 'closed' | 'withdrawn';

export interface StatusFacts {
  closedAt: Date | string | null;
  withdrawnAt: Date | string | null;
  startsAt: Date | string | null;
  endsAt: Date | string | null;
}

// Postgres' text form too (`2026-12-05 01:02:03.1+00`), which Date.parse does not read everywhere.
const time = (v: Date | string) => toDate(v)?.getTime() ?? Number.NaN;

/** The same rule as the database's `debate_argument_refusal` (hidden aside: those are not shown). */
export function debateStatus(d: StatusFacts, now: number = Date.now()): DebateStatus {
  if (d.withdrawnAt) return 'withdrawn';
  if (d.closedAt) return 'closed';
  if (d.startsAt && now < time(d.startsAt)) return 'upcoming';
  if (d.endsAt && now >= time(d.endsAt)) return 'ended';
  return 'open';
}

/** Counts a debate's page and cards show, as the database broadcasts them. */
export interface DebateCounts {
  for: number;
  against: number;
  neutral: number;
  positions: { for: number; against: number; neutral: number };
  comments: number;
  likes: number;
  follows: number;
  lastArgumentAt: string | null;
}

/** A broadcast on `debate:<id>` or `debates:<component>` (counts and what changed, never text). */
export interface DebateBroadcast {
  debate_id?: string;
  changes?: string[];
  for?: number;
  against?: number;
  neutral?: number;
  positions?: { for?: number; against?: number; neutral?: number };
  comments?: number;
  likes?: number;
  follows?: number;
  last_argument_at?: string | null;
  last_activity_at?: string | null;
  closed?: boolean;
  updated_at?: string;
}

/** The private Realtime channel of one debate (its counts, and presence). */
export function debateTopic(debateId: string): string {
  return `debate:${debateId}`;
}

/** The private Realtime channel of a debates component's list. */
export function debatesListTopic(componentId: string): string {
  return `debates:${componentId}`;
}

/** `/fr/assemblies/<slug>/f/<component>` + `/debates/<id>` */
export function debateHref(listHref: string, debateId: string): string {
  return `${listHref}/debates/${debateId}`;
}

/** "il y a 5 minutes" from a catalog's `{count}` forms, coarse on purpose (minutes, hours, days). */
export function elapsedParts(since: string | Date, now: number = Date.now()): { unit: 'now' | 'minutes' | 'hours' | 'days'; count: number } {
  const ms = Math.max(0, now - time(since));
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return { unit: 'now', count: 0 };
  if (minutes < 60) return { unit: 'minutes', count: minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return { unit: 'hours', count: hours };
  return { unit: 'days', count: Math.floor(hours / 24) };
}
