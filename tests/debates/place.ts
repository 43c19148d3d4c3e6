import { randomUUID } from 'node:crypto';
import { testDb, uniqueSlug } from '../web/spaces-helpers.ts';
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
  const db = testDb();
  const slug = uniqueSlug('deb');
  const spaceId = randomUUID();
  const phaseId = randomUUID();
  const componentId = randomUUID();
  await db.begin(async (tx) => {
    await tx`insert into public.spaces (id, kind, slug, title, published_at) values (${spaceId}, 'process', ${slug}, ${tx.json({ fr: 'Concertation débats', en: 'Debates consultation' })}, now())`;
    await tx`insert into public.phases (id, space_id, position, title) values (${phaseId}, ${spaceId}, 1, ${tx.json({ fr: 'Débats' })})`;
    await tx`select public.activate_phase(${phaseId})`;
    await tx`insert into public.components (id, space_id, feature, name, published_at, settings, phase_settings)
             values (${componentId}, ${spaceId}, 'debates', ${tx.json({ fr: 'Débats', en: 'Debates' })}, now(),
                     ${tx.json({ ...OPEN_SETTINGS, ...settings } as never)}, ${tx.json({ [phaseId]: { ...OPEN_PHASE, ...phase } } as never)})`;
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
