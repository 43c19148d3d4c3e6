import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { person, type Person } from '../proposals/page-fixtures.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { addProject, checkout, createBudget, createBudgetsComponent, createProjects, createUsers, grantRole, verify, type BudgetsFixture } from './fixtures.ts';

/*
 * The budgets admin through the running site, without JavaScript: budgets and projects created,
 * edited and deleted (refusals next to their field, destructive ones only once confirmed), the
 * accepted proposals imported with their link, a Pabulib file imported, the vote closed (the
 * tally asked for), the live numbers, the verification an action requires chosen in the
 * component's settings. Nobody but the space's admins gets in.
 */

let f: BudgetsFixture;
let boss: Person;
let stranger: Person;
const admin = () => `/fr/admin/spaces/${f.spaceId}/components/${f.componentId}`;

beforeAll(async () => {
  f = await createBudgetsComponent(testDb());
  [boss, stranger] = await Promise.all([person('Béa Budget'), person('Sam Curieux')]);
  await grantRole(testDb(), f, boss.id, 'admin');
});
afterAll(async () => {
  await closeTestDb();
});

const budgetForm = (extra: Record<string, string> = {}) => ({
  component_id: f.componentId,
  'title.fr': 'Quartier Nord',
  'title.en': 'North district',
  'description.fr': '<p>Les projets du nord.</p>',
  total_budget: '50000',
  taxonomy_id: '',
  vote_rule: 'threshold_percent',
  threshold_percent: '60',
  minimum_projects: '1',
  range_min: '1',
  range_max: '5',
  selection_method: 'greedy',
  weight: '0',
  ...extra,
});

describe('budgets and projects', () => {
  it('only the space’s admins get in', async () => {
    expect((await stranger.browser.get(`${admin()}/manage`)).status).toBe(403);
    expect((await stranger.browser.get(`${admin()}/budgets/new`)).status).toBe(403);
    expect((await boss.browser.get(`${admin()}/manage`)).status).toBe(200);
  });

  it('a budget: refused without a title or an envelope, created, edited; its envelope stays once people vote', async () => {
    const refused = await boss.browser.post(`${admin()}/budgets/new?_action=budgets.saveBudget`, budgetForm({ 'title.fr': '', 'title.en': '', total_budget: '' }));
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('id="budget-title-fr"');
    expect(refused.text).toContain('Ce champ est obligatoire.');
    const range = await boss.browser.post(`${admin()}/budgets/new?_action=budgets.saveBudget`, budgetForm({ vote_rule: 'projects_range', range_min: '4', range_max: '2' }));
    expect(range.status).toBe(422);
    expect(range.text).toContain('Le maximum doit être au moins égal au minimum.');
    const created = await boss.browser.post(`${admin()}/budgets/new?_action=budgets.saveBudget`, budgetForm());
    expect(created.status).toBe(303);
    const id = /\/budgets\/([0-9a-f-]{36})\?status=saved/.exec(created.location ?? '')![1]!;
    const [row] = await testDb()<{ title: Record<string, string>; total: string; threshold: number }[]>`
      select title, total_budget::text as total, threshold_percent as threshold from public.budgets where id = ${id}`;
    expect(row).toEqual({ title: { fr: 'Quartier Nord', en: 'North district' }, total: '50000', threshold: 60 });

    const [p] = await createProjects(testDb(), id, [40000]);
    const [voter] = await createUsers(testDb(), 1, 'adm');
    await addProject(testDb(), voter!, id, p!);
    const locked = await boss.browser.post(`${admin()}/budgets/${id}?_action=budgets.saveBudget`, budgetForm({ budget_id: id, total_budget: '30000' }));
    expect(locked.status).toBe(422);
    expect(locked.text).toContain('Des votes ont commencé : l’enveloppe et la règle ne changent plus.');
    const renamed = await boss.browser.post(`${admin()}/budgets/${id}?_action=budgets.saveBudget`, budgetForm({ budget_id: id, 'title.fr': 'Nord' }));
    expect(renamed.status).toBe(303);
  });

  it('a project: created (decimal degrees with a comma), refused with a bad cost, deleted once confirmed, kept once voted for', async () => {
    const budget = await createBudget(testDb(), f, { total: 10000, thresholdPercent: 5 });
    const base = `${admin()}/budgets/${budget}`;
    const form = { budget_id: budget, 'title.fr': 'Un banc', 'description.fr': '', cost: '900', taxonomy_id: '', address: 'Place du Marché', latitude: '47,5', longitude: '2,85', weight: '0' };
    const bad = await boss.browser.post(`${base}/projects/new?_action=budgets.saveProject`, { ...form, cost: '-3' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('id="project-cost"');
    const created = await boss.browser.post(`${base}/projects/new?_action=budgets.saveProject`, form);
    expect(created.status).toBe(303);
    const [project] = await testDb()<{ id: string; latitude: number; cost: string }[]>`select id, latitude, cost::text from public.projects where budget_id = ${budget}`;
    expect(project).toMatchObject({ latitude: 47.5, cost: '900' });
    const unconfirmed = await boss.browser.post(`${base}?_action=budgets.deleteProject`, { project_id: project!.id });
    expect(unconfirmed.status).toBe(400);
    const [voter] = await createUsers(testDb(), 1, 'adm');
    await addProject(testDb(), voter!, budget, project!.id);
    await checkout(testDb(), voter!, budget);
    const kept = await boss.browser.post(`${base}?_action=budgets.deleteProject`, { project_id: project!.id, confirm: 'yes' });
    expect(kept.status).toBe(422);
    expect(kept.text).toContain('Des personnes ont voté pour ce projet');
    const [other] = await createProjects(testDb(), budget, [100]);
    const deleted = await boss.browser.post(`${base}?_action=budgets.deleteProject`, { project_id: other!, confirm: 'yes' });
    expect(deleted.status).toBe(303);
    expect(await testDb()`select 1 from public.projects where id = ${other!}`).toHaveLength(0);
  });
});

describe('imports', () => {
  it('the accepted proposals of the space, with their cost and a link; not twice', async () => {
    const budget = await createBudget(testDb(), f, { total: 1_000_000 });
    const source = randomUUID();
    await testDb()`insert into public.components (id, space_id, feature, name, published_at) values (${source}, ${f.spaceId}, 'proposals', ${testDb().json({ fr: 'Idées' })}, now())`;
    const states = await testDb()<{ id: string; token: string }[]>`select id, token from public.proposal_states where component_id = ${source}`;
    const state = (t: string) => states.find((s) => s.token === t)!.id;
    const [author] = await createUsers(testDb(), 1, 'idee');
    const insert = (title: string, token: string | null, cost: number | null) => testDb()<{ id: string }[]>`
      insert into public.proposals (component_id, author_id, title, body, published_at, state_id, answered_at, cost)
      values (${source}, ${author!}, ${title}, '<p>Une idée assez longue pour être publiée.</p>', now(), ${token ? state(token) : null}, ${token ? new Date() : null}, ${cost})
      returning id`;
    const [accepted] = await insert('Un jardin partagé', 'accepted', 18500);
    await insert('Une idée refusée', 'rejected', 1000);
    await insert('Acceptée sans coût', 'accepted', null);
    await insert('Pas encore répondue', null, null);
    const first = await boss.browser.post(`${admin()}/manage?_action=budgets.importProposals`, { source_component_id: source, budget_id: budget });
    expect(first.status).toBe(303);
    const projects = await testDb()<{ id: string; title: Record<string, string>; cost: string }[]>`select id, title, cost::text from public.projects where budget_id = ${budget}`;
    expect(projects.map((p) => [p.title['fr'], p.cost])).toEqual([['Un jardin partagé', '18500']]);
    const [link] = await testDb()<{ resource_id: string; path: string }[]>`select resource_id, path from public.project_links where project_id = ${projects[0]!.id}`;
    expect(link).toEqual({ resource_id: accepted!.id, path: `processes/${f.slug}/f/${source}/proposals/${accepted!.id}` });
    await boss.browser.post(`${admin()}/manage?_action=budgets.importProposals`, { source_component_id: source, budget_id: budget });
    expect(await testDb()`select 1 from public.projects where budget_id = ${budget}`).toHaveLength(1);
    const page = await stranger.browser.get(`/fr/processes/${f.slug}/f/${f.componentId}/budgets/${budget}/projects/${projects[0]!.id}`);
    expect(page.text).toContain('Propositions à l’origine de ce projet');
    expect(page.html).toContain(`href="/fr/processes/${f.slug}/f/${source}/proposals/${accepted!.id}"`);
    // Someone else's component is not a source.
    const foreign = await createBudgetsComponent(testDb());
    const refused = await boss.browser.post(`${admin()}/manage?_action=budgets.importProposals`, { source_component_id: foreign.componentId, budget_id: budget });
    expect(refused.status).toBe(422);
  });

  it('a Pabulib file becomes a closed budget; a file that is not one is refused with the reason', async () => {
    const file = readFileSync(join(import.meta.dirname, 'pabulib', 'poland_czestochowa_2020_grabowka.pb'));
    const form = new FormData();
    form.set('component_id', f.componentId);
    form.set('file', new File([file], 'grabowka.pb', { type: 'text/plain' }));
    const imported = await boss.browser.post(`${admin()}/manage?_action=budgets.importPabulib`, form);
    expect(imported.status).toBe(303);
    const [b] = await testDb()<{ id: string; total: string; n: number; voters: number }[]>`
      select b.id, b.total_budget::text as total, (select count(*)::int from public.projects p where p.budget_id = b.id) as n,
             (select count(*)::int from public.ballots o where o.budget_id = b.id and o.checked_out_at is not null) as voters
      from public.budgets b where b.component_id = ${f.componentId} and b.imported is not null`;
    expect(b).toMatchObject({ total: '225862', n: 8, voters: 201 });
    const bad = new FormData();
    bad.set('component_id', f.componentId);
    bad.set('file', new File(['META\nkey;value\nbudget;0\n'], 'bad.pb', { type: 'text/plain' }));
    const refused = await boss.browser.post(`${admin()}/manage?_action=budgets.importPabulib`, bad);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Ce fichier n’est pas une instance Pabulib lisible (pabulib.budget).');
  });
});

describe('the vote', () => {
  it('closing it (once confirmed) finishes the phase’s vote and asks for the tally; the numbers are the admins’', async () => {
    const g = await createBudgetsComponent(testDb());
    await grantRole(testDb(), g, boss.id, 'admin');
    const budget = await createBudget(testDb(), g, { thresholdPercent: 10 });
    const [p] = await createProjects(testDb(), budget, [300]);
    const [a, b] = await createUsers(testDb(), 2, 'stat');
    await addProject(testDb(), a!, budget, p!);
    await addProject(testDb(), b!, budget, p!);
    await checkout(testDb(), a!, budget);
    const base = `/fr/admin/spaces/${g.spaceId}/components/${g.componentId}`;
    const page = await boss.browser.get(`${base}/manage`);
    expect(page.html).toMatch(new RegExp(`data-stat="${budget}:in_progress"[^>]*>1<`));
    expect(page.html).toMatch(new RegExp(`data-stat="${budget}:checked_out"[^>]*>1<`));
    const api = await boss.browser.request(`/api/budgets/stats/${g.componentId}`);
    expect(await api.json()).toEqual({ totals: { [budget]: { inProgress: 1, checkedOut: 1 } }, districts: { '': { inProgress: 1, checkedOut: 1 } } });
    const theirs = await stranger.browser.request(`/api/budgets/stats/${g.componentId}`);
    expect(await theirs.json()).toEqual({ totals: {}, districts: {} });
    const unconfirmed = await boss.browser.post(`${base}/manage?_action=budgets.closeVote`, { component_id: g.componentId });
    expect(unconfirmed.status).toBe(400);
    const closed = await boss.browser.post(`${base}/manage?_action=budgets.closeVote`, { component_id: g.componentId, confirm: 'yes' });
    expect(closed.status).toBe(303);
    const [c] = await testDb()<{ votes: string; pending: boolean }[]>`
      select phase_settings -> ${g.phaseId}::text ->> 'votes' as votes,
             exists (select 1 from public.budget_tally_requests r where r.component_id = c.id and r.done_at is null) as pending
      from public.components c where c.id = ${g.componentId}`;
    expect(c).toEqual({ votes: 'finished', pending: true });
    const strangerClose = await stranger.browser.post(`${base}/manage?_action=budgets.closeVote`, { component_id: g.componentId, confirm: 'yes' });
    expect(strangerClose.status).toBe(403);
  });

  it('the settings form says which verification the vote requires, and the vote then asks for it', async () => {
    const g = await createBudgetsComponent(testDb());
    await grantRole(testDb(), g, boss.id, 'admin');
    const base = `/fr/admin/spaces/${g.spaceId}/components/${g.componentId}`;
    const form = await boss.browser.get(base);
    expect(form.text).toContain('Vérification exigée');
    expect(form.html).toContain('name="permissions.vote"');
    const fields = new URLSearchParams([
      ['component_id', g.componentId],
      ['name.fr', 'Budgets'],
      ['settings.workflow', 'all'],
      ['settings.default_sort', 'random'],
      ['settings.reminder_delay_hours', '24'],
      ['settings.comments_max_length', '1000'],
      [`phase.default.votes`, 'disabled'],
      [`phase.${g.phaseId}.votes`, 'enabled'],
      ['permissions.vote', 'census'],
    ]);
    const saved = await boss.browser.post(`${base}?_action=components.configure`, fields);
    expect(saved.status).toBe(303);
    const [row] = await testDb()<{ permissions: Record<string, string[]> }[]>`select permissions from public.components where id = ${g.componentId}`;
    expect(row?.permissions).toEqual({ vote: ['census'] });
    const budget = await createBudget(testDb(), g);
    const [p] = await createProjects(testDb(), budget, [100]);
    await verify(testDb(), stranger.id, 'direct');
    const refused = await stranger.browser.post(`/fr/processes/${g.slug}/f/${g.componentId}/budgets/${budget}?_action=budgets.addProject`, { project_id: p! });
    expect(refused.status).toBe(422);
  });
});
