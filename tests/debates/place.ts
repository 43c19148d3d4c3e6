import { createComponentPlace } from '../helpers/component-place.ts';
import { testDb } from '../web/spaces-helpers.ts';
import { OPEN_PHASE, OPEN_SETTINGS, type Json } from './fixtures.ts';

/*
 * A published process of its own with an active phase and a published debates component, for
 * the tests that go through the site (forms, pages, browsers): no other test's data.
 */

export interface Place {
  spaceId: string;
  phaseId: string;
  componentId: string;
  slug: string;
  /** `/fr/processes/<slug>/f/<component>` */
  list: string;
  page: (debateId: string, locale?: string) => string;
}

export async function debatesPlace(settings: Json = {}, phase: Json = {}): Promise<Place> {
  const { spaceId, phaseId, componentId, slug } = await createComponentPlace(testDb(), {
    feature: 'debates',
    name: { fr: 'Débats', en: 'Debates' },
    slugPrefix: 'deb',
    spaceTitle: { fr: 'Concertation débats', en: 'Debates consultation' },
    phaseTitle: { fr: 'Débats' },
    settings: { ...OPEN_SETTINGS, ...settings },
    phase: { ...OPEN_PHASE, ...phase },
  });
  const list = `/fr/processes/${slug}/f/${componentId}`;
  return { spaceId, phaseId, componentId, slug, list, page: (id, locale = 'fr') => `/${locale}/processes/${slug}/f/${componentId}/debates/${id}` };
}

/** A debate written straight into the database as its author (the triggers fill the rest). */
export async function insertDebate(place: Place, authorId: string | null, opts: { title?: string; official?: boolean; startsAt?: Date; endsAt?: Date } = {}): Promise<string> {
  const [row] = await testDb()<{ id: string }[]>`
    insert into public.debates (component_id, author_id, official, title, description, starts_at, ends_at)
    values (${place.componentId}, ${authorId}, ${opts.official ?? false}, ${opts.title ?? 'Faut-il un débat de test ?'},
            '<p>Une description assez longue pour un débat.</p>', ${opts.startsAt ?? null}, ${opts.endsAt ?? null})
    returning id`;
  return row!.id;
}
