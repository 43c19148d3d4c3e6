import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { person, type Person } from './page-fixtures.ts';
import { createProposal, createProposalsComponent, grantRole, type ProposalsFixture } from './fixtures.ts';

/*
 * The ways into the proposals admin from the public side: space admins get "Manage proposals" on
 * the list and "Answer this proposal" on every proposal page; a space evaluator gets "My
 * proposals to evaluate" on the list, the answer link on the proposals assigned to them, and an
 * "Evaluations" section on their account page. Participants and visitors see none of it.
 */

let f: ProposalsFixture;
let admin: Person;
let evaluator: Person;
let participant: Person;
let listPath: string;
let manage: string;
let assigned: string;
let other: string;
const page = (id: string) => `${listPath}/proposals/${id}`;
const answer = (id: string) => `/fr/admin/spaces/${f.spaceId}/components/${f.componentId}/proposals/${id}`;

beforeAll(async () => {
  f = await createProposalsComponent(testDb());
  [admin, evaluator, participant] = await Promise.all([person(), person(), person()]);
  await grantRole(testDb(), f, admin.id, 'admin');
  await grantRole(testDb(), f, evaluator.id, 'evaluator');
  const [s] = await testDb()<{ slug: string }[]>`select slug from public.spaces where id = ${f.spaceId}`;
  listPath = `/fr/processes/${s!.slug}/f/${f.componentId}`;
  manage = `/fr/admin/spaces/${f.spaceId}/components/${f.componentId}/manage`;
  [assigned, other] = await Promise.all([createProposal(testDb(), f, participant.id), createProposal(testDb(), f, participant.id)]);
  await testDb()`insert into public.proposal_evaluators (proposal_id, user_id) values (${assigned}, ${evaluator.id})`;
});

afterAll(async () => {
  await closeTestDb();
});

describe('entry points to the proposals admin', () => {
  it('space admins: "Manage proposals" on the list, "Answer this proposal" on every proposal page', async () => {
    const list = await admin.browser.get(listPath);
    expect(list.status).toBe(200);
    expect(list.html).toContain(`href="${manage}"`);
    expect(list.text).toContain('Gérer les propositions');
    for (const id of [assigned, other]) {
      const p = await admin.browser.get(page(id));
      expect(p.html).toContain(`href="${answer(id)}"`);
      expect(p.text).toContain('Répondre à cette proposition');
    }
    expect((await admin.browser.get(`/en${listPath.slice(3)}`)).text).toContain('Manage proposals');
  });

  it('evaluators: "My proposals to evaluate" on the list, the answer link on their proposals only, an Evaluations section on their account', async () => {
    const list = await evaluator.browser.get(listPath);
    expect(list.html).toContain(`href="${manage}"`);
    expect(list.text).toContain('Mes propositions à évaluer');
    expect(list.text).not.toContain('Gérer les propositions');
    expect((await evaluator.browser.get(page(assigned))).html).toContain(`href="${answer(assigned)}"`);
    const notMine = await evaluator.browser.get(page(other));
    expect(notMine.status).toBe(200);
    expect(notMine.html).not.toContain(answer(other));
    expect((await evaluator.browser.get(answer(assigned))).status).toBe(200);

    const account = await evaluator.browser.get('/fr/account');
    expect(account.status).toBe(200);
    expect(account.html).toContain('id="evaluations"');
    expect(account.html).toContain('href="#evaluations"');
    expect(account.html).toContain(`href="${manage}"`);
    expect(account.text).toContain('Propositions — Processus');
    expect(account.text).toContain('1 proposition à évaluer');
    expect((await evaluator.browser.get(manage)).status).toBe(200);
    expect((await evaluator.browser.get('/en/account')).text).toContain('1 proposal to evaluate');
  });

  it('participants and visitors: no link, no section', async () => {
    for (const b of [participant.browser, new Browser()]) {
      const list = await b.get(listPath);
      expect(list.status).toBe(200);
      expect(list.html).not.toContain('href="/fr/admin/');
      const p = await b.get(page(assigned));
      expect(p.status).toBe(200);
      expect(p.html).not.toContain('href="/fr/admin/');
      expect(p.text).not.toContain('Répondre à cette proposition');
    }
    const account = await participant.browser.get('/fr/account');
    expect(account.status).toBe(200);
    expect(account.html).not.toContain('id="evaluations"');
    expect(account.html).not.toContain('href="/fr/admin/');
  });
});
