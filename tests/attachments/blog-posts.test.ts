import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { person, proposalsPlace, type Person, type Place } from '../proposals/page-fixtures.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { PDF } from './helpers.ts';

/**
 * A news post's documents and images (issue 15's list: news posts), through the running site: the
 * space's admin attaches a file from the post's page, visitors get the document list, a
 * participant gets neither the form nor the right (the database refuses).
 */

let place: Place;
let admin: Person;
let visitor: Person;
let blog: string;

beforeAll(async () => {
  place = await proposalsPlace();
  [admin, visitor] = await Promise.all([person('Adèle Admin'), person('Victor Visiteur')]);
  blog = randomUUID();
  await testDb()`insert into public.components (id, space_id, feature, name, published_at) values
    (${blog}, ${place.spaceId}, 'blog', ${testDb().json({ fr: 'Actualités' })}, now())`;
  await testDb()`insert into public.space_roles (space_id, user_id, role) values (${place.spaceId}, ${admin.id}, 'admin')`;
});
afterAll(async () => {
  await closeTestDb();
});

describe('a news post’s attachments', () => {
  it('the space’s admin attaches a PDF on the post’s page; visitors see it listed; others cannot attach', async () => {
    const [post] = await testDb()<{ id: string }[]>`insert into public.blog_posts (component_id, title, body)
      values (${blog}, ${testDb().json({ fr: 'Le marché rouvre' })}, ${testDb().json({ fr: '<p>Samedi.</p>' })}) returning id`;
    const page = `/fr/processes/${place.slug}/f/${blog}/posts/${post!.id}`;
    const before = await admin.browser.get(page);
    expect(before.status).toBe(200);
    expect(before.html).toContain('id="attachment-file"');
    expect((await visitor.browser.get(page)).html).not.toContain('id="attachment-file"');

    const fd = new FormData();
    fd.append('resource_type', 'blog_post');
    fd.append('resource_id', post!.id);
    fd.append('title', 'Plan du marché');
    fd.append('file', new File([PDF], 'plan.pdf', { type: 'application/pdf' }));
    const added = await admin.browser.post(`${page}?_action=attachments.addAttachment`, fd);
    expect(added.status).toBe(303);
    expect(added.location).toBe(`${page}?attachments=added#attachments-manager`);

    const seen = await visitor.browser.get(page);
    expect(seen.text).toContain('Plan du marché');
    expect(seen.html).toMatch(/PDF/);

    // A participant posting the same form: refused, nothing added.
    const refused = await visitor.browser.post(`${page}?_action=attachments.addAttachment`, fd);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const [n] = await testDb()<{ n: number }[]>`select count(*)::int as n from public.attachments where resource_id = ${post!.id}`;
    expect(n!.n).toBe(1);
  });
});
