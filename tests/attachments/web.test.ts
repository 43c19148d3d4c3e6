import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { png } from '../storage/helpers.ts';
import { person, proposalsPlace, published, type Person, type Place } from '../proposals/page-fixtures.ts';
import { closeTestDb, testDb, uniqueSlug } from '../web/spaces-helpers.ts';
import { cameraPhoto, PDF } from './helpers.ts';

/**
 * Attachments through the running site, without JavaScript: multipart forms posted to the
 * attachments actions from the page that shows them (a proposal, a page's admin), post/redirect/get
 * on success, the refusal next to the file field with the page's 4xx status, and the gallery and
 * document list as visitors get them.
 */

let place: Place;
let author: Person;
let visitor: Person;

const act = (path: string, name: string) => `${path}?_action=attachments.${name}`;
function form(fields: Record<string, string>, file?: { data: Uint8Array | string; name: string; type?: string }): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  if (file) fd.append('file', new File([typeof file.data === 'string' ? file.data : new Uint8Array(file.data)], file.name, { type: file.type ?? '' }));
  return fd;
}
const fileError = (html: string) => /<p class="field__error" id="attachment-file-error"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1]?.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() ?? '';
const count = async (id: string) => (await testDb()<{ n: number }[]>`select count(*)::int as n from public.attachments where resource_id = ${id}`)[0]!.n;

beforeAll(async () => {
  place = await proposalsPlace({ attachments_allowed: true });
  [author, visitor] = await Promise.all([person('Awa Autrice'), person('Victor Visiteur')]);
});
afterAll(async () => {
  await closeTestDb();
});

describe('a proposal’s documents and images', () => {
  it('its author attaches a photo and a PDF; visitors get a gallery and a document list with names, formats and sizes', async () => {
    const id = await published(place, author.id);
    const page = place.page(id);
    const before = await author.browser.get(page);
    expect(before.html).toMatch(/<form method="post" action="\?_action=attachments\.addAttachment" enctype="multipart\/form-data"/);
    expect(before.html).toContain('id="attachment-file"');
    expect((await visitor.browser.get(page)).html).not.toContain('attachments.addAttachment');

    const photo = await author.browser.post(act(page, 'addAttachment'), form({ resource_type: 'proposal', resource_id: id, title: 'Le banc cassé' }, { data: await cameraPhoto(), name: 'IMG_2041.jpg', type: 'image/jpeg' }));
    expect(photo.status).toBe(303);
    expect(photo.location).toBe(`${page}?attachments=added#attachments-manager`);
    const after = await author.browser.get(photo.location!);
    expect(after.text).toContain('Le fichier a été joint.');
    const doc = await author.browser.post(act(page, 'addAttachment'), form({ resource_type: 'proposal', resource_id: id, title: '' }, { data: PDF, name: 'Devis_mobilier.pdf', type: 'application/pdf' }));
    expect(doc.status).toBe(303);

    const seen = await visitor.browser.get(page);
    expect(seen.html).toMatch(/<h2 id="attachments-title"[^>]*>Documents et images<\/h2>/);
    const img = /<img src="([^"]+)" width="480" height="320" alt="Le banc cassé" loading="lazy" decoding="async"[^>]*>/.exec(seen.html);
    expect(img).not.toBeNull();
    const thumb = await fetch(img![1]!.replace(/&amp;/g, '&'));
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    // The document's link says what it downloads: its title, format and size.
    expect(seen.text).toMatch(/Devis mobilier \(PDF, \d+ ko\)/);
  });

  it('hostile files come back with the reason next to the file field, and nothing is attached', async () => {
    const id = await published(place, author.id);
    const page = place.page(id);
    const cases: [string, { data: Uint8Array | string; name: string; type?: string }, number, string][] = [
      ['script', { data: '<?php system($_GET["c"]); ?>', name: 'photo.jpg', type: 'image/jpeg' }, 415, 'porte le nom d’une image, mais son contenu n’en est pas une'],
      ['svg', { data: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', name: 'carte.svg', type: 'image/svg+xml' }, 415, 'Les images SVG ne sont pas acceptées'],
      ['no file', { data: '', name: '' }, 400, 'Choisissez un fichier.'],
    ];
    for (const [label, f, status, message] of cases) {
      const res = await author.browser.post(act(page, 'addAttachment'), form({ resource_type: 'proposal', resource_id: id }, f));
      expect(res.status, label).toBe(status);
      expect(fileError(res.html), label).toContain(message);
      expect(res.html, label).toContain('aria-invalid="true"');
    }
    const huge = await author.browser.post(act(page, 'addAttachment'), form({ resource_type: 'proposal', resource_id: id }, { data: new Uint8Array(100 * 1024 * 1024), name: 'film.pdf', type: 'application/pdf' }));
    expect(huge.status).toBe(413);
    expect(fileError(huge.html)).toContain('Le fichier dépasse 10 Mo');
    expect(await count(id)).toBe(0);
  });

  it('nobody else can attach, even posting the form by hand; removing asks for confirmation', async () => {
    const id = await published(place, author.id);
    const page = place.page(id);
    const forged = await visitor.browser.post(act(page, 'addAttachment'), form({ resource_type: 'proposal', resource_id: id }, { data: await png(50, 50), name: 'x.png', type: 'image/png' }));
    expect(forged.status).toBe(403);
    expect(await count(id)).toBe(0);
    await author.browser.post(act(page, 'addAttachment'), form({ resource_type: 'proposal', resource_id: id, title: 'Plan' }, { data: await png(50, 50), name: 'plan.png', type: 'image/png' }));
    const [row] = await testDb()<{ id: string }[]>`select id from public.attachments where resource_id = ${id}`;
    const unconfirmed = await author.browser.post(act(page, 'deleteAttachment'), { attachment_id: row!.id });
    expect(unconfirmed.status).toBe(400);
    expect(await count(id)).toBe(1);
    expect((await visitor.browser.post(act(page, 'deleteAttachment'), { attachment_id: row!.id, confirm: 'yes' })).status).toBe(404);
    const removed = await author.browser.post(act(page, 'deleteAttachment'), { attachment_id: row!.id, confirm: 'yes' });
    expect(removed.status).toBe(303);
    expect(removed.location).toBe(`${page}?attachments=removed#attachments-manager`);
    expect(await count(id)).toBe(0);
  });
});

describe('folders (attachment collections)', () => {
  it('the author makes folders, files go in them and move between them; visitors see them grouped; a removed folder keeps its files', async () => {
    const id = await published(place, author.id);
    const page = place.page(id);
    const db = testDb();
    const folderError = (html: string) => /<p class="field__error" id="attachment-folder-name-error"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1]?.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() ?? '';
    const empty = await author.browser.post(act(page, 'addCollection'), { resource_type: 'proposal', resource_id: id, name: '   ' });
    expect(empty.status).toBe(400);
    expect(folderError(empty.html)).toContain('Donnez un nom au dossier.');
    expect((await visitor.browser.post(act(page, 'addCollection'), { resource_type: 'proposal', resource_id: id, name: 'Pirate' })).status).toBe(403);

    const made = await author.browser.post(act(page, 'addCollection'), { resource_type: 'proposal', resource_id: id, name: 'Plans' });
    expect(made.status).toBe(303);
    expect(made.location).toBe(`${page}?attachments=folderAdded#attachments-folders`);
    await author.browser.post(act(page, 'addCollection'), { resource_type: 'proposal', resource_id: id, name: 'Comptes rendus' });
    const folders = await db<{ id: string; name: { fr: string } }[]>`select id, name from public.attachment_collections where resource_id = ${id} order by weight`;
    expect(folders.map((f) => f.name)).toEqual([{ fr: 'Plans' }, { fr: 'Comptes rendus' }]);
    const [plans, minutes] = [folders[0]!, folders[1]!];

    const manage = await author.browser.get(page);
    expect(manage.html).toMatch(/<select id="attachment-folder" name="collection_id"/);
    const up = await author.browser.post(act(page, 'addAttachment'), form({ resource_type: 'proposal', resource_id: id, title: 'Plan du square', collection_id: plans.id }, { data: PDF, name: 'plan.pdf', type: 'application/pdf' }));
    expect(up.status).toBe(303);
    await author.browser.post(act(page, 'addAttachment'), form({ resource_type: 'proposal', resource_id: id, title: 'Réunion du 3 mars', collection_id: '' }, { data: PDF, name: 'cr.pdf', type: 'application/pdf' }));
    const [meeting] = await db<{ id: string; collection_id: string | null }[]>`select id, collection_id from public.attachments where resource_id = ${id} and file_name = 'cr.pdf'`;
    expect(meeting!.collection_id).toBeNull();
    const moved = await author.browser.post(act(page, 'moveAttachment'), { attachment_id: meeting!.id, collection_id: minutes.id });
    expect(moved.status).toBe(303);
    expect((await db`select collection_id from public.attachments where id = ${meeting!.id}`)[0]).toEqual({ collection_id: minutes.id });

    // Visitors: each folder a heading over its files.
    const seen = await visitor.browser.get(page);
    expect(seen.text).toMatch(/Plans[\s\S]*Plan du square \(PDF[\s\S]*Comptes rendus[\s\S]*Réunion du 3 mars \(PDF/);

    // A folder of another proposal is refused, nothing moves.
    const other = await published(place, author.id);
    await author.browser.post(act(place.page(other), 'addCollection'), { resource_type: 'proposal', resource_id: other, name: 'Ailleurs' });
    const [elsewhere] = await db<{ id: string }[]>`select id from public.attachment_collections where resource_id = ${other}`;
    const foreign = await author.browser.post(act(page, 'moveAttachment'), { attachment_id: meeting!.id, collection_id: elsewhere!.id });
    expect(foreign.status).toBe(422);
    expect(foreign.text).toContain('Ce dossier n’existe pas ou plus pour ces fichiers.');
    expect((await db`select collection_id from public.attachments where id = ${meeting!.id}`)[0]).toEqual({ collection_id: minutes.id });

    // Removing a folder asks first, and keeps its files.
    expect((await author.browser.post(act(page, 'deleteCollection'), { collection_id: minutes.id })).status).toBe(400);
    expect((await visitor.browser.post(act(page, 'deleteCollection'), { collection_id: minutes.id, confirm: 'yes' })).status).toBe(404);
    const removed = await author.browser.post(act(page, 'deleteCollection'), { collection_id: minutes.id, confirm: 'yes' });
    expect(removed.location).toBe(`${page}?attachments=folderRemoved#attachments-folders`);
    expect((await db`select collection_id from public.attachments where id = ${meeting!.id}`)[0]).toEqual({ collection_id: null });
    expect(await count(id)).toBe(2);
  });
});

describe('a page’s attachments', () => {
  it('the space’s admin attaches a document in the page’s admin; visitors see it on the page', async () => {
    const admin = await person('Ada Admin');
    const db = testDb();
    const spaceId = randomUUID();
    const componentId = randomUUID();
    const slug = uniqueSlug('page');
    await db`insert into public.spaces (id, kind, slug, title, published_at) values (${spaceId}, 'process', ${slug}, ${db.json({ fr: 'Avec page' })}, now())`;
    await db`insert into public.components (id, space_id, feature, name, published_at) values (${componentId}, ${spaceId}, 'pages', ${db.json({ fr: 'Règlement' })}, now())`;
    await db`insert into public.space_roles (space_id, user_id, role) values (${spaceId}, ${admin.id}, 'admin')`;
    const manage = `/fr/admin/spaces/${spaceId}/components/${componentId}/manage`;
    const res = await admin.browser.post(act(manage, 'addAttachment'), form({ resource_type: 'page', resource_id: componentId, title: 'Règlement intérieur' }, { data: PDF, name: 'reglement.pdf', type: 'application/pdf' }));
    expect(res.status).toBe(303);
    expect(res.location).toBe(`${manage}?attachments=added#attachments-manager`);
    const pub = await visitor.browser.get(`/fr/processes/${slug}/f/${componentId}`);
    expect(pub.text).toMatch(/Règlement intérieur \(PDF, \d+ ko\)/);
    const forged = await visitor.browser.post(act(manage, 'addAttachment'), form({ resource_type: 'page', resource_id: componentId }, { data: PDF, name: 'x.pdf' }));
    expect([403, 404]).toContain(forged.status);
  });
});
