import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { person, proposalsPlace, published, type Person, type Place } from '../proposals/page-fixtures.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { cameraPhoto } from './helpers.ts';

/**
 * Avatars next to authors' names, through the running site: uploaded on the account page, then
 * shown on a proposal (its authors) and its comments, in a public and in a private space alike
 * (an avatar is public like the profile: the public bucket), decorative (`alt=""`: the name is
 * beside it), sized and lazy; a default (the initial) for whoever has none.
 */

let place: Place;
let author: Person;
let commenter: Person;
let visitor: Person;

const avatarImg = (html: string) => /<img class="avatar"[^>]*>/.exec(html)?.[0] ?? null;
const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? null;

async function comment(resourceId: string, userId: string, body: string): Promise<void> {
  await testDb().begin(async (tx) => {
    await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: userId, role: 'authenticated' })}, true)`;
    await tx`insert into public.comments (resource_type, resource_id, author_id, body) values ('proposal', ${resourceId}, ${userId}, ${body})`;
  });
}

beforeAll(async () => {
  place = await proposalsPlace();
  [author, commenter, visitor] = await Promise.all([person('Awa Avatar'), person('Zoé Sansphoto'), person('Victor Visiteur')]);
});
afterAll(async () => {
  await closeTestDb();
});

describe('avatars next to authors’ names', () => {
  it('uploaded on the account page, shown on the author’s proposal and comments; a default for those without', async () => {
    const fd = new FormData();
    fd.append('file', new File([new Uint8Array(await cameraPhoto())], 'moi.jpg', { type: 'image/jpeg' }));
    const upload = await author.browser.post('/fr/account?_action=attachments.setAvatar', fd);
    expect(upload.status).toBe(303);
    const [row] = await testDb()<{ avatar: { name: string } | null }[]>`select avatar from public.profiles where id = ${author.id}`;
    expect(row!.avatar?.name).toMatch(new RegExp(`^profile/${author.id}/`));

    const id = await published(place, author.id);
    await comment(id, author.id, 'Mon commentaire avec photo.');
    await comment(id, commenter.id, 'Un commentaire sans photo.');
    const page = await visitor.browser.get(place.page(id));
    expect(page.status).toBe(200);
    const imgs = [...page.html.matchAll(/<img class="avatar"[^>]*>/g)].map((m) => m[0]);
    // The proposal's author list and the author's comment.
    expect(imgs.length).toBe(2);
    for (const tag of imgs) {
      expect(attr(tag, 'src')).toContain(row!.avatar!.name);
      expect(attr(tag, 'alt')).toBe('');
      expect(attr(tag, 'loading')).toBe('lazy');
      expect(Number(attr(tag, 'width'))).toBeGreaterThan(0);
      expect(attr(tag, 'width')).toBe(attr(tag, 'height'));
    }
    // The name is next to it (the picture is decorative).
    expect(page.text).toContain('Awa Avatar');
    // Whoever has no avatar gets the default: their initial, hidden from assistive technology.
    expect(page.html).toMatch(/<span class="avatar avatar--default" aria-hidden="true" data-initial="Z"[^>]*><\/span>/);
    const bytes = await fetch(attr(imgs[0]!, 'src')!.replace(/&amp;/g, '&'));
    expect(bytes.status).toBe(200);
    expect(bytes.headers.get('content-type')).toBe('image/webp');

    // In a private space, its members see the same public picture (nothing signed, nothing to leak).
    await testDb()`update public.spaces set private = true where id = ${place.spaceId}`;
    await testDb()`insert into public.space_members (space_id, user_id) values (${place.spaceId}, ${visitor.id}), (${place.spaceId}, ${author.id})`;
    const inPrivate = await visitor.browser.get(place.page(id));
    expect(inPrivate.status).toBe(200);
    const tag = avatarImg(inPrivate.html);
    expect(tag).not.toBeNull();
    expect(attr(tag!, 'src')).toBe(attr(imgs[0]!, 'src'));
  });
});
