import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser } from '../../src/lib/db/index.ts';
import { userClaims } from '../db/fixtures.ts';
import { Browser } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { person, type Person } from './page-fixtures.ts';
import { createProposal, createProposalsComponent, createUsers, grantRole, type ProposalsFixture } from './fixtures.ts';

/*
 * Proposals in a space's moderation queue, through the running site without JavaScript: the
 * third report hides a proposal; the space's moderator (not an admin) finds it in the queue with
 * its reports and reasons, makes it visible again (303 back to the queue) and the public sees it
 * again. Participants do not reach the queue, nor hide anything.
 */

let f: ProposalsFixture;
let moderator: Person;
let participant: Person;
let queue: string;
let publicBase: string;

beforeAll(async () => {
  f = await createProposalsComponent(testDb());
  [moderator, participant] = await Promise.all([person(), person()]);
  await grantRole(testDb(), f, moderator.id, 'moderator');
  const [s] = await testDb()<{ slug: string }[]>`select slug from public.spaces where id = ${f.spaceId}`;
  queue = `/fr/admin/spaces/${f.spaceId}/moderation`;
  publicBase = `/fr/processes/${s!.slug}/f/${f.componentId}`;
});

afterAll(async () => {
  await closeTestDb();
});

const report = (userId: string, proposalId: string, reason: string) =>
  asUser(userClaims(userId), (tx) => tx`insert into public.reports (resource_type, resource_id, reason) values ('proposal', ${proposalId}, ${reason})`, testDb());

function rowOf(html: string, id: string): string {
  return new RegExp(`<tr[^>]*id="moderation-proposal-${id}"[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';
}

describe('proposals in the moderation queue', () => {
  it('three reports hide a proposal; the moderator sees it and makes it visible again; the public sees it again', async () => {
    const [author, r1, r2, r3] = await createUsers(testDb(), 4, 'modq');
    const title = `Un banc devant la mairie ${Date.now()}`;
    const p = await createProposal(testDb(), f, author!, { title });
    const other = await createProposal(testDb(), f, author!);
    const page = `${publicBase}/proposals/${p}`;
    expect((await new Browser().get(page)).status).toBe(200);

    await report(r1!, p, 'spam');
    await report(r2!, p, 'spam');
    await report(r3!, p, 'offensive');
    await report(r1!, other, 'does_not_belong');
    expect((await testDb()`select hidden_at is not null as h from public.proposals where id = ${p}`)[0]!['h']).toBe(true);
    expect((await new Browser().get(page)).status).not.toBe(200);

    let q = await moderator.browser.get(queue);
    expect(q.status).toBe(200);
    expect(q.text).toContain('Propositions signalées ou masquées');
    const row = rowOf(q.html, p);
    expect(row).toContain(`href="${page}"`);
    expect(row).toContain(title);
    expect(row).toContain('3 signalements');
    expect(row).toContain('contenu indésirable (2), contenu offensant (1)');
    expect(row).toContain('Masquée');
    expect(row).toContain('Rendre visible');
    // Hidden first, then the most reported.
    expect(q.html.indexOf(`moderation-proposal-${p}`)).toBeLessThan(q.html.indexOf(`moderation-proposal-${other}`));
    expect(rowOf(q.html, other)).toContain('1 signalement');
    // The moderator reads the hidden proposal's page (RLS).
    expect((await moderator.browser.get(page)).status).toBe(200);

    // A participant can neither open the queue nor hide.
    expect((await participant.browser.get(queue)).status).toBe(403);
    const refused = await participant.browser.post(`${queue}?_action=proposalsAdmin.hideProposal`, { proposal_id: p, hidden: 'false' });
    expect(refused.status).toBe(403);
    expect((await testDb()`select hidden_at is not null as h from public.proposals where id = ${p}`)[0]!['h']).toBe(true);

    const shown = await moderator.browser.post(`${queue}?_action=proposalsAdmin.hideProposal`, { proposal_id: p, hidden: 'false' });
    expect(shown.status).toBe(303);
    expect(shown.location).toBe(`${queue}#moderation-proposal-${p}`);
    expect((await new Browser().get(page)).status).toBe(200);
    q = await moderator.browser.get(queue);
    expect(rowOf(q.html, p)).toContain('Visible');
    expect(rowOf(q.html, p)).toContain('>Masquer<');

    // And hides it again by hand.
    expect((await moderator.browser.post(`${queue}?_action=proposalsAdmin.hideProposal`, { proposal_id: other, hidden: 'true' })).status).toBe(303);
    expect((await testDb()`select hidden_at is not null as h from public.proposals where id = ${other}`)[0]!['h']).toBe(true);
  });

  it('an empty queue says so; visitors are sent to sign in', async () => {
    const g = await createProposalsComponent(testDb());
    await grantRole(testDb(), g, moderator.id, 'moderator');
    const q = await moderator.browser.get(`/fr/admin/spaces/${g.spaceId}/moderation`);
    expect(q.status).toBe(200);
    expect(q.text).toContain('Aucune proposition signalée ou masquée dans cet espace.');
    const anon = await new Browser().get(queue);
    expect(anon.status).toBe(303);
    expect(anon.location).toContain('/fr/sign-in?next=');
  });
});
