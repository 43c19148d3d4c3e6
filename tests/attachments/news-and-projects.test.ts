import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { person, proposalsPlace, type Person, type Place } from '../proposals/page-fixtures.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { createBudget, createBudgetsComponent, createProjects } from '../budgets/fixtures.ts';
import { PDF } from './helpers.ts';

/**
 * A news post's and a budget project's documents and images (issue 15's list), through the running
 * site: the space's admin attaches a file from the resource's page, visitors get the document
 * list, a participant gets neither the form nor the right (the database refuses).
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

describe('a budget project’s attachments', () => {
  it('the space’s admin attaches a PDF on the project’s page; visitors see it listed; others cannot attach', async () => {
    const f = await createBudgetsComponent(testDb());
    const budget = await createBudget(testDb(), f);
    const [project] = await createProjects(testDb(), budget, [500]);
    await testDb()`insert into public.space_roles (space_id, user_id, role) values (${f.spaceId}, ${admin.id}, 'admin')`;
    const [space] = await testDb()<{ slug: string }[]>`select slug from public.spaces where id = ${f.spaceId}`;
    const page = `/fr/processes/${space!.slug}/f/${f.componentId}/budgets/${budget}/projects/${project!}`;
    expect((await admin.browser.get(page)).html).toContain('id="attachment-file"');
    expect((await visitor.browser.get(page)).html).not.toContain('id="attachment-file"');

    const fd = new FormData();
    fd.append('resource_type', 'project');
    fd.append('resource_id', project!);
    fd.append('title', 'Devis du projet');
    fd.append('file', new File([PDF], 'devis.pdf', { type: 'application/pdf' }));
    const added = await admin.browser.post(`${page}?_action=attachments.addAttachment`, fd);
    expect(added.status).toBe(303);
    expect((await visitor.browser.get(page)).text).toContain('Devis du projet');
    const refused = await visitor.browser.post(`${page}?_action=attachments.addAttachment`, fd);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const [n] = await testDb()<{ n: number }[]>`select count(*)::int as n from public.attachments where resource_id = ${project!}`;
    expect(n!.n).toBe(1);
  });
});
