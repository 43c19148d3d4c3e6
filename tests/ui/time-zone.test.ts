import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { person, proposalsPlace, published, type Person, type Place } from '../proposals/page-fixtures.ts';
import { dayIn, formatCalendarDate, formatInstant, formatInstantWithZone } from '../../src/lib/i18n/dates.ts';

/*
 * One time zone on every page, the organization's: a comment and the proposal it is about,
 * written at the same instant near midnight UTC, show the same wall-clock time (Paris: the next
 * day), and both move together when the organization's zone changes. The server's own zone (UTC
 * here) must never show through.
 */

// 23:30 UTC: 00:30 the next day in Paris (UTC+1 in March), 20:30 the same day in Cayenne (UTC−3).
const INSTANT = new Date('2026-03-10T23:30:00Z');
let place: Place;
let author: Person;
let proposalId: string;

const commentTime = (html: string) => /<article[^>]*class="comment[\s\S]*?<time datetime="[^"]*"[^>]*>([^<]*)<\/time>/.exec(html)?.[1] ?? '';
const publishedLine = (html: string) => /(Publiée le|Published on) ([^<·]*)/.exec(html)?.[2]?.trim() ?? '';

beforeAll(async () => {
  place = await proposalsPlace();
  author = await person('Zoé Fuseau');
  proposalId = await published(place, author.id, { title: 'Une horloge sur la place', publishedAt: INSTANT });
  const db = testDb();
  const [c] = await db<{ id: string }[]>`
    insert into public.comments (resource_type, resource_id, component_id, author_id, body)
    values ('proposal', ${proposalId}, ${place.componentId}, ${author.id}, 'Bonne idée, à minuit pile.') returning id`;
  await db`update public.comments set created_at = ${INSTANT}, updated_at = ${INSTANT} where id = ${c!.id}`;
});

afterAll(async () => {
  await closeTestDb();
});

describe('times in the organization’s time zone', () => {
  it('a comment and a proposal of the same instant show the same Paris time, and both follow the organization’s zone', async () => {
    const db = testDb();
    const [org] = await db<{ time_zone: string }[]>`select time_zone from public.organization limit 1`;
    expect(org!.time_zone).toBe('Europe/Paris');

    const paris = await new Browser().get(place.page(proposalId));
    expect(paris.status).toBe(200);
    expect(commentTime(paris.html)).toBe('11 mars 2026, 00:30');
    expect(publishedLine(paris.html)).toBe('11 mars 2026 à 00:30');
    const en = await new Browser().get(place.page(proposalId).replace('/fr/', '/en/'));
    expect(commentTime(en.html)).toBe('11 Mar 2026, 00:30');
    expect(publishedLine(en.html)).toBe('11 March 2026 at 00:30');
    // The list's card shows the day in the same zone.
    expect((await new Browser().get(place.list)).html).toContain('11 mars 2026');

    try {
      await db`update public.organization set time_zone = 'America/Cayenne'`;
      const cayenne = await new Browser().get(place.page(proposalId));
      expect(commentTime(cayenne.html)).toBe('10 mars 2026, 20:30');
      expect(publishedLine(cayenne.html)).toBe('10 mars 2026 à 20:30');
    } finally {
      await db`update public.organization set time_zone = ${org!.time_zone}`;
    }
  });

  it('the shared formatters: an instant in a zone, with the zone said when read out of context, and calendar dates as written', () => {
    expect(formatInstant('2026-03-10 23:30:00+00', 'fr', 'Europe/Paris')).toBe('11 mars 2026, 00:30');
    expect(formatInstant(INSTANT, 'fr', 'America/Cayenne')).toBe('10 mars 2026, 20:30');
    expect(formatInstantWithZone(INSTANT, 'fr', 'Europe/Paris')).toBe('11 mars 2026, 00:30 UTC+1 (Europe/Paris)');
    expect(formatInstantWithZone(INSTANT, 'en', 'America/Cayenne')).toMatch(/^10 Mar 2026, 20:30 GMT-3 \(America\/Cayenne\)$/);
    expect(dayIn(INSTANT, 'Europe/Paris')).toBe('2026-03-11');
    expect(dayIn(INSTANT, 'America/Cayenne')).toBe('2026-03-10');
    expect(formatCalendarDate('2026-11-26', 'fr')).toBe('26 novembre 2026');
    // An unknown zone (never accepted by the database, but) must not take a page down.
    expect(formatInstant(INSTANT, 'fr', 'Mars/Olympus')).toBe('10 mars 2026, 23:30');
  });
});
