import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { person, proposalsPlace, published, type Person, type Place } from '../proposals/page-fixtures.ts';
import type { Browser } from '../web/helpers.ts';
import { claire, closeTestDb, postOk, testDb, uniqueSlug } from '../web/spaces-helpers.ts';

/*
 * Without JavaScript, a destructive form carries a required "Je confirme" box (`confirm=yes`):
 * a post without it is refused, says why, and changes nothing; with it, the action runs.
 */

let place: Place;
let author: Person;
let admin: Browser;

beforeAll(async () => {
  place = await proposalsPlace();
  author = await person('Noé Confirme');
  admin = await claire();
});

afterAll(async () => {
  await closeTestDb();
});

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('destructive actions without JavaScript', () => {
  it('the delete forms carry the required "Je confirme" box', async () => {
    const id = await published(place, author.id);
    const posted = await author.browser.post(`${place.page(id)}?_action=comments.addComment`, { resource_type: 'proposal', resource_id: id, body: 'À garder' });
    const commentId = /#comment-([0-9a-f-]{36})$/.exec(posted.location ?? '')![1]!;
    const page = await author.browser.get(place.page(id));
    const form = new RegExp(`<article[^>]*id="comment-${commentId}"[\\s\\S]*?comments\\.deleteComment[\\s\\S]*?</form>`).exec(page.html)?.[0] ?? '';
    expect(form).toMatch(/<input type="checkbox" name="confirm" value="yes" required/);
    expect(text(form)).toContain('Je confirme');
  });

  it('deleting a comment is refused without the confirmation and changes nothing; with it, the comment is deleted', async () => {
    const id = await published(place, author.id);
    const path = `${place.page(id)}?_action=comments.deleteComment`;
    const posted = await author.browser.post(`${place.page(id)}?_action=comments.addComment`, { resource_type: 'proposal', resource_id: id, body: 'Mon avis' });
    const commentId = /#comment-([0-9a-f-]{36})$/.exec(posted.location ?? '')![1]!;
    const deletedAt = async () => (await testDb()<{ deleted_at: Date | null }[]>`select deleted_at from public.comments where id = ${commentId}`)[0]!.deleted_at;

    const refused = await author.browser.post(path, { comment_id: commentId });
    expect(refused.status).toBe(400);
    expect(text(refused.html)).toContain('Cochez « Je confirme » pour valider cette action : rien n’a été modifié.');
    expect(await deletedAt()).toBeNull();
    expect((await author.browser.post(path, { comment_id: commentId, confirm: 'no' })).status).toBe(400);
    expect(await deletedAt()).toBeNull();

    expect((await author.browser.post(path, { comment_id: commentId, confirm: 'yes' })).status).toBe(303);
    expect(await deletedAt()).not.toBeNull();
  });

  it('deleting a draft, a phase, a component; removing a role or a member: refused without the confirmation', async () => {
    const db = testDb();
    const [draft] = await db<{ id: string }[]>`
      insert into public.proposals (component_id, author_id, title, body) values (${place.componentId}, ${author.id}, 'Un brouillon', '<p>Texte du brouillon à garder.</p>') returning id`;
    const publish = `${place.page(draft!.id)}/publish?_action=proposals.deleteDraft`;
    expect((await author.browser.post(publish, { proposal_id: draft!.id })).status).toBe(400);
    expect((await db`select 1 from public.proposals where id = ${draft!.id}`).length).toBe(1);

    const slug = uniqueSlug('confirm');
    const spaceId = randomUUID();
    const phaseId = randomUUID();
    const componentId = randomUUID();
    await db`insert into public.spaces (id, kind, slug, title) values (${spaceId}, 'process', ${slug}, ${db.json({ fr: 'Confirmer' })})`;
    await db`insert into public.phases (id, space_id, position, title) values (${phaseId}, ${spaceId}, 1, ${db.json({ fr: 'Une phase' })})`;
    await db`insert into public.components (id, space_id, feature, name) values (${componentId}, ${spaceId}, 'pages', ${db.json({ fr: 'Une page' })})`;
    await db`insert into public.space_roles (space_id, user_id, role) values (${spaceId}, ${author.id}, 'moderator')`;

    const refusals: [string, Record<string, string>][] = [
      [`/fr/admin/spaces/${spaceId}/phases?_action=spaces.deletePhase`, { phase_id: phaseId }],
      [`/fr/admin/spaces/${spaceId}/components?_action=components.delete`, { component_id: componentId }],
      [`/fr/admin/spaces/${spaceId}/people?_action=spaces.revokeRole`, { space_id: spaceId, user_id: author.id, role: 'moderator' }],
    ];
    for (const [path, fields] of refusals) {
      const page = await admin.post(path, fields);
      expect(page.status, path).toBe(400);
      expect(text(page.html), path).toContain('Cochez « Je confirme »');
    }
    expect((await db`select 1 from public.phases where id = ${phaseId}`).length).toBe(1);
    expect((await db`select 1 from public.components where id = ${componentId}`).length).toBe(1);
    expect((await db`select 1 from public.space_roles where space_id = ${spaceId} and user_id = ${author.id}`).length).toBe(1);

    for (const [path, fields] of refusals) await postOk(admin, path, { ...fields, confirm: 'yes' });
    expect((await db`select 1 from public.phases where id = ${phaseId}`).length).toBe(0);
    expect((await db`select 1 from public.components where id = ${componentId}`).length).toBe(0);
  });
});
