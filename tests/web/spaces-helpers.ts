import { randomBytes } from 'node:crypto';
import type postgres from 'postgres';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../supabase/demo-accounts.ts';
import { connectTestDb } from '../helpers/db.ts';
import { decodeEntities, signedIn, type Browser, type Page } from './helpers.ts';

/*
 * Helpers for the spaces tests: the organization admin's browser, unique slugs (the database is
 * shared by every test file), and form posts that must end in a redirect.
 */

export const CLAIRE = 'admin@demo.decidons.fr';

export function uniqueSlug(tag: string): string {
  return `${tag}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

let db: postgres.Sql | undefined;
export function testDb(): postgres.Sql {
  db ??= connectTestDb();
  return db;
}
export async function closeTestDb(): Promise<void> {
  await db?.end({ timeout: 5 });
  db = undefined;
}

/**
 * Claire, signed in. She is an organization admin in the seed; if the seed does not say so yet,
 * the row is added here (idempotent).
 */
export async function claire(): Promise<Browser> {
  await testDb()`
    insert into public.organization_admins (user_id)
    select id from auth.users where email = ${CLAIRE}
    on conflict do nothing`;
  return signedIn(CLAIRE, DEMO_PASSWORD);
}

/** Posts a form and expects the post/redirect/get answer (303); returns the Location. */
export async function postOk(b: Browser, path: string, fields: Record<string, string> | URLSearchParams): Promise<string> {
  const page = await b.post(path, fields);
  if (page.status !== 303) {
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(page.html)?.[0] ?? page.text.slice(0, 500);
    throw new Error(`POST ${path} → ${page.status}: ${summary.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')}`);
  }
  return page.location ?? '';
}

/** The space id in a redirect to `/fr/admin/spaces/<id>…`. */
export function spaceIdFrom(location: string): string {
  const m = /\/admin\/spaces\/([0-9a-f-]{36})/.exec(location);
  if (!m?.[1]) throw new Error(`no space id in ${location}`);
  return m[1];
}

/** The component id in a redirect to `/fr/admin/spaces/<id>/components/<cid>…`. */
export function componentIdFrom(location: string): string {
  const m = /\/components\/([0-9a-f-]{36})/.exec(location);
  if (!m?.[1]) throw new Error(`no component id in ${location}`);
  return m[1];
}

export interface ProcessFields {
  slug: string;
  title?: string;
  [field: string]: string | undefined;
}

/** Creates a process through the admin form; returns its id. */
export async function createProcess(b: Browser, f: ProcessFields): Promise<string> {
  const { slug, title = `Processus ${slug}`, ...rest } = f;
  const fields: Record<string, string> = { slug, 'title.fr': title, 'title.en': `Process ${slug}` };
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) fields[k] = v;
  const location = await postOk(b, '/fr/admin/processes/new?_action=spaces.createProcess', fields);
  expect(location).toMatch(/\?status=created$/);
  return spaceIdFrom(location);
}

export async function addPhase(b: Browser, spaceId: string, fields: Record<string, string>): Promise<void> {
  await postOk(b, `/fr/admin/spaces/${spaceId}/phases?_action=spaces.addPhase`, { space_id: spaceId, ...fields });
}

export async function addPagesComponent(b: Browser, spaceId: string, name: string): Promise<string> {
  const location = await postOk(b, `/fr/admin/spaces/${spaceId}/components?_action=components.add`, {
    space_id: spaceId,
    feature: 'pages',
    'name.fr': name,
  });
  return componentIdFrom(location);
}

export async function publishSpace(b: Browser, spaceId: string, publish = true): Promise<void> {
  await postOk(b, `/fr/admin/spaces/${spaceId}?_action=spaces.publishSpace`, { space_id: spaceId, publish: String(publish) });
}

export async function publishComponent(b: Browser, spaceId: string, componentId: string, publish = true): Promise<void> {
  await postOk(b, `/fr/admin/spaces/${spaceId}/components?_action=components.publish`, { component_id: componentId, publish: String(publish) });
}

/** The text of the field error under a field (`<p class="field__error" id="<id>-error">`). */
export function fieldError(page: Page, id: string): string | undefined {
  const m = new RegExp(`id="${id}-error"[^>]*>([\\s\\S]*?)</p>`).exec(page.html);
  return m?.[1] === undefined ? undefined : decodeEntities(m[1].replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
}

/** The text of the page's first table body (admin lists, the action log). */
export function tableText(page: Page): string {
  const m = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(page.html);
  return m?.[1] === undefined ? '' : decodeEntities(m[1].replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
}
