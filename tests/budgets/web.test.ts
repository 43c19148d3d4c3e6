import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { person, type Person } from '../proposals/page-fixtures.ts';
import { Browser } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { addProject, checkout, createBudget, createBudgetsComponent, createProjects, grantRole, updatePhase, verify, type BudgetsFixture } from './fixtures.ts';

/*
 * The participant pages through the running site, without JavaScript: every ballot form posts
 * to its action and comes back (303) to where the person was; a refusal comes back as the page
 * with the action's status and the reason in the person's words, nothing changed.
 */

let f: BudgetsFixture;
let budget: string;
let projects: string[];
let alice: Person;
let bob: Person;
const base = () => `/fr/processes/${f.slug}/f/${f.componentId}`;
const budgetPage = () => `${base()}/budgets/${budget}`;
const act = (path: string, name: string) => `${path}${path.includes('?') ? '&' : '?'}_action=budgets.${name}`;
const ballotOf = async (id: string) =>
  (await testDb()<{ total: string; lines_count: number; checked: boolean }[]>`
    select total::text, lines_count, checked_out_at is not null as checked from public.ballots where budget_id = ${budget} and user_id = ${id}`)[0];

beforeAll(async () => {
  f = await createBudgetsComponent(testDb(), { settings: { geocoding_enabled: true } });
  budget = await createBudget(testDb(), f, { total: 1000, thresholdPercent: 50 });
  projects = await createProjects(testDb(), budget, [400, 500, 300, 200]);
  await testDb()`update public.projects set latitude = 47.5, longitude = 2.85, address = 'Place du Marché' where id = ${projects[0]!}`;
  [alice, bob] = await Promise.all([person('Alice Votante'), person('Bob Voisin')]);
});
afterAll(async () => {
  await closeTestDb();
});

describe('the component and budget pages', () => {
  it('anonymous visitors see the budgets, the rule and a way to sign in; no ballot buttons', async () => {
    const visitor = new Browser();
    const list = await visitor.get(base());
    expect(list.status).toBe(200);
    expect(list.text).toContain('Le vote est ouvert');
    expect(list.text).toContain('Enveloppe : 1 000 €');
    expect(list.text).toContain('Connectez-vous pour voter');
    const page = await visitor.get(budgetPage());
    expect(page.status).toBe(200);
    expect(page.text).toContain('4 projets');
    expect(page.text).toContain('Choisissez des projets pour au moins 50 % de l’enveloppe (500 €), sans dépasser 1 000 €.');
    expect(page.html).not.toContain('_action=budgets.addProject');
  });

  it('filters by text and cost, orders by cost, shows the map view', async () => {
    const visitor = new Browser();
    const cheap = await visitor.get(`${budgetPage()}?max=300&sort=cost_asc`);
    expect(cheap.text).toContain('2 projets');
    expect(cheap.text.indexOf('Projet 4')).toBeLessThan(cheap.text.indexOf('Projet 3'));
    const text = await visitor.get(`${budgetPage()}?q=projet%202`);
    expect(text.text).toContain('1 projet');
    // The filter reads the one search index: accents and case ignored, plurals stemmed.
    expect((await visitor.get(`${budgetPage()}?q=PROJETS%202`)).text).toContain('1 projet');
    const bad = await visitor.get(`${budgetPage()}?min=abc&sort=nope`);
    expect(bad.status).toBe(200);
    expect(bad.text).toContain('Certains filtres étaient invalides et ont été ignorés : min, sort.');
    const map = await visitor.get(`${budgetPage()}?view=map`);
    expect(map.text).toContain('1 projet sur la carte');
    expect(map.html).toContain('role="region"');
  });

  it('the random order is stable for a visitor, and kept in the links', async () => {
    const visitor = new Browser();
    const first = await visitor.get(budgetPage());
    const again = await visitor.get(budgetPage());
    const order = (html: string) => [...html.matchAll(/id="project-([0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(order(again.html)).toEqual(order(first.html));
  });
});

describe('the ballot without JavaScript', () => {
  it('adds, refuses what exceeds the envelope (nothing changed), removes, and comes back to the card', async () => {
    await verify(testDb(), alice.id, 'direct');
    const page = await alice.browser.get(budgetPage());
    expect(page.html).toContain('_action=budgets.addProject');
    const added = await alice.browser.post(act(budgetPage(), 'addProject'), { project_id: projects[0]! });
    expect(added.status).toBe(303);
    expect(added.location).toBe(`${budgetPage()}#project-${projects[0]}`);
    await alice.browser.post(act(budgetPage(), 'addProject'), { project_id: projects[1]! });
    expect(await ballotOf(alice.id)).toEqual({ total: '900', lines_count: 2, checked: false });
    const refused = await alice.browser.post(act(budgetPage(), 'addProject'), { project_id: projects[2]! });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Ce projet dépasse ce qui reste de l’enveloppe');
    expect(await ballotOf(alice.id)).toEqual({ total: '900', lines_count: 2, checked: false });
    const ballot = await alice.browser.get(budgetPage());
    expect(ballot.text).toContain('Vous avez choisi 900 € sur 1 000 € : il reste 100 €.');
    const valuetext = /aria-valuetext="([^"]*)"/.exec(ballot.html)?.[1]?.replace(/\s+/g, ' ');
    expect(valuetext).toBe('Vous avez choisi 900 € sur 1 000 € : il reste 100 €.');
    const removed = await alice.browser.post(act(budgetPage(), 'removeProject'), { project_id: projects[1]! });
    expect(removed.status).toBe(303);
    expect(await ballotOf(alice.id)).toEqual({ total: '400', lines_count: 1, checked: false });
  });

  it('checks out only once confirmed, and only when the rule is met; then nothing changes', async () => {
    await verify(testDb(), bob.id, 'direct');
    await bob.browser.post(act(budgetPage(), 'addProject'), { project_id: projects[3]! });
    // 200 € of 1,000 €: the rule asks for 500 €.
    let page = await bob.browser.get(budgetPage());
    expect(page.text).toContain('Encore 300 € pour atteindre le minimum.');
    const early = await bob.browser.post(act(budgetPage(), 'checkout'), { budget_id: budget, confirm: 'yes' });
    expect(early.status).toBe(422);
    expect(early.text).toContain('Votre vote ne respecte pas encore la règle');
    await bob.browser.post(act(budgetPage(), 'addProject'), { project_id: projects[2]! });
    const unconfirmed = await bob.browser.post(act(budgetPage(), 'checkout'), { budget_id: budget });
    expect(unconfirmed.status).toBe(400);
    expect((await ballotOf(bob.id))?.checked).toBe(false);
    const done = await bob.browser.post(act(budgetPage(), 'checkout'), { budget_id: budget, confirm: 'yes' });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`${budgetPage()}#ballot`);
    expect(await ballotOf(bob.id)).toEqual({ total: '500', lines_count: 2, checked: true });
    page = await bob.browser.get(budgetPage());
    expect(page.text).toContain('Votre vote est confirmé et enregistré.');
    expect(page.html).not.toContain('_action=budgets.addProject');
    const after = await bob.browser.post(act(budgetPage(), 'removeProject'), { project_id: projects[2]! });
    expect(after.status).toBe(422);
    expect(after.text).toContain('Votre vote est déjà confirmé');
  });

  it('the vote needs the verification the component asks for: a link to get it, and a refusal that says so', async () => {
    const g = await createBudgetsComponent(testDb(), { permissions: { vote: ['census'] } });
    const b = await createBudget(testDb(), g);
    const [p] = await createProjects(testDb(), b, [100]);
    const carol = await person('Carole Sans Papiers');
    const path = `/fr/processes/${g.slug}/f/${g.componentId}/budgets/${b}`;
    const page = await carol.browser.get(path);
    expect(page.text).toContain('Pour voter, vérifiez d’abord que vous habitez la ville.');
    expect(page.html).toContain(`/fr/verification?next=${encodeURIComponent(path)}`);
    const refused = await carol.browser.post(act(path, 'addProject'), { project_id: p! });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('vérifiez d’abord que vous habitez la ville');
  });

  it('a project page: its cost, map placeholder, the button, the ballot', async () => {
    const page = await alice.browser.get(`${budgetPage()}/projects/${projects[0]}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Coût : 400 €');
    expect(page.text).toContain('Place du Marché');
    expect(page.html).toContain('_action=budgets.removeProject');
    const missing = await alice.browser.get(`${budgetPage()}/projects/00000000-0000-4000-8000-00000000dead`);
    expect(missing.status).toBe(404);
  });

  it('says "you have a vote in progress" on every page of the space until it is checked out', async () => {
    const space = await alice.browser.get(`/fr/processes/${f.slug}`);
    expect(space.text).toContain('Vous avez un vote en cours');
    expect(space.html).toContain(`budgets/${budget}#ballot`);
    const otherPage = await alice.browser.get(base());
    expect(otherPage.text).toContain('Vous avez un vote en cours');
    await alice.browser.post(act(budgetPage(), 'addProject'), { project_id: projects[2]! });
    await alice.browser.post(act(budgetPage(), 'checkout'), { budget_id: budget, confirm: 'yes' });
    const after = await alice.browser.get(`/fr/processes/${f.slug}`);
    expect(after.text).not.toContain('Vous avez un vote en cours');
    // Nobody else's notice.
    const visitor = await new Browser().get(`/fr/processes/${f.slug}`);
    expect(visitor.text).not.toContain('Vous avez un vote en cours');
  });
});

describe('results', () => {
  it('are a preview for the admins until confirmed, then public with the chart, the table and the files', async () => {
    const g = await createBudgetsComponent(testDb());
    const b = await createBudget(testDb(), g, { total: 100, thresholdPercent: 10, method: 'equal_shares' });
    const ps = await createProjects(testDb(), b, [60, 40, 30, 30]);
    const boss = await person('Cheffe Budget');
    await grantRole(testDb(), g, boss.id, 'admin');
    const voters = [alice, bob];
    for (const v of voters) await verify(testDb(), v.id, 'direct');
    await addProject(testDb(), alice.id, b, ps[0]!);
    await addProject(testDb(), bob.id, b, ps[3]!);
    await checkout(testDb(), alice.id, b);
    await checkout(testDb(), bob.id, b);
    await updatePhase(testDb(), g, { votes: 'finished' });
    const path = `/fr/processes/${g.slug}/f/${g.componentId}/budgets/${b}/results`;
    const notYet = await new Browser().get(path);
    expect(notYet.text).toContain('Les résultats de ce budget ne sont pas encore publiés.');
    await testDb()`select private.budgets_save_tally(${b}, 'equal_shares', 2, 90, ${testDb().json({ initialShare: 50, finalShare: 50, rounds: 1, fundedByShares: 2, addedByCompletion: 0 })},
      ${testDb().json([
        { project_id: ps[0]!, votes: 1, score: 1, rank: 1, proposed: true, paid_by: 'shares', payers: 1, average_payment: 60 },
        { project_id: ps[3]!, votes: 1, score: 1, rank: 2, proposed: true, paid_by: 'shares', payers: 1, average_payment: 30 },
        { project_id: ps[1]!, votes: 0, score: 0, rank: 3, proposed: false },
        { project_id: ps[2]!, votes: 0, score: 0, rank: 4, proposed: false },
      ])})`;
    const preview = await boss.browser.get(path);
    expect(preview.text).toContain('Aperçu réservé aux administrateur·rices');
    expect((await new Browser().get(path)).text).toContain('pas encore publiés');
    expect((await new Browser().get(`/fr/processes/${g.slug}/f/${g.componentId}/budgets/${b}/export/results.csv`)).status).toBe(404);
    const admin = `/fr/admin/spaces/${g.spaceId}/components/${g.componentId}/budgets/${b}`;
    const confirmed = await boss.browser.post(`${admin}?_action=budgets.confirmSelection`, new URLSearchParams([['budget_id', b], ['selected', ps[0]!], ['selected', ps[3]!], ['confirm', 'yes']]));
    expect(confirmed.status).toBe(303);
    const published = await new Browser().get(path);
    expect(published.text).toContain('La méthode des parts égales partage l’enveloppe à égalité entre les votant·es : chacun·e dispose de 50,00 €');
    expect(published.text).toContain('Qui a payé quoi, en moyenne');
    expect(published.html).toMatch(/<table class="results-table"/);
    expect(published.html).toContain('role="img"');
    const csv = await new Browser().request(`/fr/processes/${g.slug}/f/${g.componentId}/budgets/${b}/export/results.csv`);
    expect(csv.status).toBe(200);
    const body = await csv.text();
    expect(body.split('\r\n')[0]).toContain('budget_id,budget,envelope,method');
    const pb = await new Browser().request(`/fr/processes/${g.slug}/f/${g.componentId}/budgets/${b}/export/ballots.pb`);
    expect(pb.status).toBe(200);
    const text = await pb.text();
    expect(text).toContain('META\n');
    expect(text).toContain('rule;equalshares/add1');
    expect(text).toMatch(/VOTES\nvoter_id;vote\n1;\d\n2;\d\n$/);
    expect(text).not.toContain(alice.id);
  });
});
