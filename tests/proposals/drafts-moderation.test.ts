import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, ANON_CLAIMS } from '../../src/lib/db/index.ts';
import { userClaims } from '../db/fixtures.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { person, type Person } from './page-fixtures.ts';
import { createProposalsComponent, grantRole, type ProposalsFixture } from './fixtures.ts';

/*
 * Collaborative drafts in the space's moderation queue, through the running site as a browser
 * without JavaScript: a draft reported through the shared layer is listed with its reports and
 * reasons; the space's moderator hides it (nobody else then reads it) and makes it visible again;
 * anybody else's post changes nothing; bad input is a 4xx, never a 500.
 */

let f: ProposalsFixture;
let moderator: Person;
let author: Person;
let reporter: Person;
let outsider: Person;

beforeAll(async () => {
  f = await createProposalsComponent(testDb(), { settings: { collaborative_drafts_enabled: true } });
  [moderator, author, reporter, outsider] = await Promise.all([person('Modération Brouillons'), person('Autrice Brouillon'), person('Signale Brouillon'), person('Passant Brouillon')]);
  await grantRole(testDb(), f, moderator.id, 'moderator');
}, 60_000);

afterAll(async () => {
  await closeTestDb();
});

const queue = () => `/fr/admin/spaces/${f.spaceId}/moderation`;
const hide = () => `${queue()}?_action=proposalsAdmin.hideProposal`;

async function reportedDraft(title: string): Promise<string> {
  const [d] = await testDb()<{ id: string }[]>`
    insert into public.proposal_collaborative_drafts (component_id, space_id, author_id, title, body)
    values (${f.componentId}, ${f.spaceId}, ${author.id}, ${title}, '<p>Un texte à plusieurs.</p>') returning id`;
  // Reported through the shared layer, as the reporter (RLS and the resource registry decide).
  await asUser(userClaims(reporter.id), (tx) => tx`insert into public.reports (resource_type, resource_id, reason) values ('collaborative_draft', ${d!.id}, 'offensive')`, testDb());
  return d!.id;
}

const hiddenAt = async (id: string) => (await testDb()<{ hidden_at: Date | null }[]>`select hidden_at from public.proposal_collaborative_drafts where id = ${id}`)[0]!.hidden_at;
const anonSees = async (id: string) => (await asUser(ANON_CLAIMS, (tx) => tx`select 1 from public.proposal_collaborative_drafts where id = ${id}`, testDb())).length === 1;

describe('collaborative drafts in the moderation queue', () => {
  it('lists a reported draft; the moderator hides it and makes it visible again', async () => {
    const id = await reportedDraft('Un brouillon signalé');
    const page = await moderator.browser.get(queue());
    expect(page.status).toBe(200);
    const row = new RegExp(`<tr id="moderation-proposal-draft-${id}"[\\s\\S]*?</tr>`).exec(page.html)?.[0] ?? '';
    expect(row).toContain('Un brouillon signalé');
    expect(row).toContain(`/drafts/${id}"`);
    expect(row).toContain('1 signalement');
    expect(row).toContain('contenu offensant (1)');
    expect(row).toContain('Ouvert');
    expect(row).toContain('Masquer le brouillon');

    const hidden = await moderator.browser.post(hide(), { draft_id: id, hidden: 'true' });
    expect(hidden.status).toBe(303);
    expect(hidden.location).toBe(`${queue()}#moderation-proposal-draft-${id}`);
    expect(await hiddenAt(id)).not.toBeNull();
    expect(await anonSees(id)).toBe(false);
    const after = await moderator.browser.get(queue());
    const hiddenRow = new RegExp(`<tr id="moderation-proposal-draft-${id}"[\\s\\S]*?</tr>`).exec(after.html)?.[0] ?? '';
    expect(hiddenRow).toContain('Masqué');
    expect(hiddenRow).toContain('Rendre le brouillon visible');

    const shown = await moderator.browser.post(hide(), { draft_id: id, hidden: 'false' });
    expect(shown.status).toBe(303);
    expect(await hiddenAt(id)).toBeNull();
    expect(await anonSees(id)).toBe(true);
  });

  it('nobody else hides or unhides a draft, and the queue shows them nothing', async () => {
    const id = await reportedDraft('Un brouillon que seul le modérateur masque');
    for (const who of [outsider, author]) {
      const res = await who.browser.post(hide(), { draft_id: id, hidden: 'true' });
      expect(res.status).not.toBe(303);
      expect(res.status).toBeLessThan(500);
    }
    expect(await hiddenAt(id)).toBeNull();
    await moderator.browser.post(hide(), { draft_id: id, hidden: 'true' });
    // The draft's author may not make it visible again either.
    const res = await author.browser.post(hide(), { draft_id: id, hidden: 'false' });
    expect(res.status).not.toBe(303);
    expect(await hiddenAt(id)).not.toBeNull();
    const page = await outsider.browser.get(queue());
    expect(page.html).not.toContain(id);
  });

  it('bad input is a 4xx with a message, nothing changed', async () => {
    const id = await reportedDraft('Un brouillon aux formulaires piégés');
    for (const fields of [{ hidden: 'true' }, { draft_id: 'pas-un-id', hidden: 'true' }, { draft_id: id, proposal_id: id, hidden: 'true' }, { draft_id: id }]) {
      const res = await moderator.browser.post(hide(), fields);
      expect(res.status, JSON.stringify(fields)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(fields)).toBeLessThan(500);
    }
    expect(await hiddenAt(id)).toBeNull();
  });
});
