import { createConfirmedUser, signedIn, type Browser, type Page } from '../web/helpers.ts';
import { createComponentPlace } from '../helpers/component-place.ts';
import { testDb } from '../web/spaces-helpers.ts';
import { updatePhase, updateSettings } from './fixtures.ts';

/*
 * Set-up for the proposal page and wizard tests: a published process with an active phase and a
 * proposals component of its own (no other test's data), people signed in through the site, and
 * proposals written straight into the database when a test is not about writing them.
 */

export type Json = Record<string, unknown>;

export const OPEN_GLOBAL: Json = {
  proposal_limit: 0,
  proposal_length: 500,
  proposal_edit_time: 'limited',
  edit_time_minutes: 5,
  vote_limit: 0,
  minimum_votes_per_user: 0,
  threshold_per_proposal: 0,
  can_accumulate_votes_beyond_threshold: false,
  geocoding_enabled: true,
  amendments_enabled: true,
  comments_enabled: true,
  comments_max_length: 1000,
  alignment_enabled: false,
};
export const OPEN_PHASE: Json = {
  creation_enabled: true,
  votes_enabled: true,
  votes_blocked: false,
  likes_enabled: true,
  likes_blocked: false,
  amendment_creation_enabled: true,
  amendment_reaction_enabled: true,
  amendment_promotion_enabled: true,
  amendments_visibility: 'all',
};

export interface Place {
  spaceId: string;
  phaseId: string;
  componentId: string;
  slug: string;
  /** `/fr/processes/<slug>/f/<component>` */
  list: string;
  page: (proposalId: string) => string;
}

export async function proposalsPlace(settings: Json = {}, phase: Json = {}): Promise<Place> {
  const { spaceId, phaseId, componentId, slug } = await createComponentPlace(testDb(), {
    feature: 'proposals',
    name: { fr: 'Propositions', en: 'Proposals' },
    slugPrefix: 'prop',
    spaceTitle: { fr: 'Concertation propositions' },
    phaseTitle: { fr: 'Propositions' },
    settings: { ...OPEN_GLOBAL, ...settings },
    phase: { ...OPEN_PHASE, ...phase },
  });
  const list = `/fr/processes/${slug}/f/${componentId}`;
  return { spaceId, phaseId, componentId, slug, list, page: (id) => `${list}/proposals/${id}` };
}

export async function setSettings(place: Place, settings: Json): Promise<void> {
  await updateSettings(testDb(), place, settings);
}

export async function setPhase(place: Place, phase: Json): Promise<void> {
  await updatePhase(testDb(), place, phase);
}

export interface Person {
  id: string;
  nickname: string;
  name: string;
  email: string;
  browser: Browser;
}

export async function person(name?: string): Promise<Person> {
  const u = await createConfirmedUser(name ? { name } : {});
  const [p] = await testDb()<{ nickname: string; name: string }[]>`select nickname, name from public.profiles where id = ${u.id}`;
  return { id: u.id, nickname: p!.nickname, name: p!.name, email: u.email, browser: await signedIn(u.email, u.password) };
}

/** A published proposal by `authorId`, written straight into the database. */
export async function published(place: Place, authorId: string, opts: { title?: string; body?: string; publishedAt?: Date } = {}): Promise<string> {
  const [row] = await testDb()<{ id: string }[]>`
    insert into public.proposals (component_id, author_id, title, body, published_at)
    values (${place.componentId}, ${authorId}, ${opts.title ?? 'Des bancs au parc'}, ${opts.body ?? '<p>Installer des bancs le long des allées du parc.</p>'},
      ${opts.publishedAt ?? new Date()})
    returning id`;
  return row!.id;
}

/** The text of the page's error alert, or of its error summary. */
export function alertText(page: Page): string {
  const m = /<div class="alert alert--error[^"]*" role="alert"[^>]*>([\s\S]*?)<\/div>/.exec(page.html) ?? /<div class="error-summary"[\s\S]*?<\/ul>/.exec(page.html);
  return (m?.[1] ?? m?.[0] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

export function statusText(page: Page): string {
  return /<p role="status"[^>]*>([\s\S]*?)<\/p>/.exec(page.html)?.[1]?.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() ?? '';
}

export const act = (path: string, name: string) => `${path}?_action=proposals.${name}`;
