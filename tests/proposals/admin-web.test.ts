import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser, ANON_CLAIMS } from '../../src/lib/db/index.ts';
import { userClaims } from '../db/fixtures.ts';
import { Browser, type Page } from '../web/helpers.ts';
import { closeTestDb, fieldError, testDb } from '../web/spaces-helpers.ts';
import { person, type Person } from './page-fixtures.ts';
import { createProposal, createProposalsComponent, grantRole, type ProposalsFixture } from './fixtures.ts';

/*
 * The proposals admin through the running site, as a browser without JavaScript uses it: every
 * form posts to a proposalsAdmin action and comes back (303); refusals come back as the page with
 * a 4xx status and a translated message, nothing changed. Space evaluators reach the proposals
 * assigned to them only; the public never sees an answer before it is published.
 */

let f: ProposalsFixture;
let admin: Person;
let evaluator: Person;
let evaluator2: Person;
let outsider: Person;
let authorA: Person;
let authorB: Person;
let base: string;
let publicBase: string;

const act = (path: string, name: string) => `${path}?_action=proposalsAdmin.${name}`;

function alertText(page: Page): string {
  const m = /<div class="(?:alert alert--error|error-summary)"[\s\S]*?<\/div>\s*<\/div>|<div class="(?:alert alert--error|error-summary)"[\s\S]*?<\/div>/.exec(page.html);
  return (m?.[0] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

async function expect303(page: Page, what: string): Promise<string> {
  if (page.status !== 303) throw new Error(`${what} → ${page.status}: ${alertText(page) || page.text.slice(0, 400)}`);
  return page.location ?? '';
}

async function setup(opts: Parameters<typeof createProposalsComponent>[1] = {}): Promise<{ f: ProposalsFixture; base: string; publicBase: string }> {
  const fx = await createProposalsComponent(testDb(), opts);
  await grantRole(testDb(), fx, admin.id, 'admin');
  const [s] = await testDb()<{ slug: string }[]>`select slug from public.spaces where id = ${fx.spaceId}`;
  return { f: fx, base: `/fr/admin/spaces/${fx.spaceId}/components/${fx.componentId}`, publicBase: `/fr/processes/${s!.slug}/f/${fx.componentId}` };
}

beforeAll(async () => {
  [admin, evaluator, evaluator2, outsider, authorA, authorB] = await Promise.all([person(), person(), person(), person(), person(), person()]);
  ({ f, base, publicBase } = await setup({ settings: { publish_answers_immediately: false } }));
  await grantRole(testDb(), f, evaluator.id, 'evaluator');
  await grantRole(testDb(), f, evaluator2.id, 'evaluator');
});

afterAll(async () => {
  await closeTestDb();
});

describe('who enters the proposals admin', () => {
  it('visitors go to sign-in, people without a role get 403 on every admin route, evaluators only on theirs', async () => {
    const p = await createProposal(testDb(), f, authorA.id);
    const pages = ['manage', `proposals/${p}`, 'proposals/states', 'proposals/new', `proposals/merge?ids=${p}`, `proposals/split?proposal=${p}`, 'proposals/import', 'proposals/bulk'];
    const files = ['proposals/export?format=csv', 'proposals/export?format=json', 'proposals/export?format=comments'];
    const anon = new Browser();
    for (const path of pages) {
      const page = await anon.get(`${base}/${path}`);
      expect(page.status, path).toBe(303);
      expect(page.location, path).toContain('/fr/sign-in?next=');
      expect((await outsider.browser.get(`${base}/${path}`)).status, path).toBe(403);
      expect((await authorA.browser.get(`${base}/${path}`)).status, path).toBe(403);
    }
    for (const path of files) {
      expect((await anon.get(`${base}/${path}`)).status, path).toBe(401);
      expect((await outsider.browser.get(`${base}/${path}`)).status, path).toBe(403);
    }
    // Evaluators: the list and the exports, not the admin-only pages nor other admin pages.
    const evalPage = await evaluator.browser.get(`${base}/manage`);
    expect(evalPage.status).toBe(200);
    // No tabs to the space's other admin pages for them (admins have them).
    expect(evalPage.html).not.toContain(`/fr/admin/spaces/${f.spaceId}/people`);
    expect((await admin.browser.get(`${base}/manage`)).html).toContain(`/fr/admin/spaces/${f.spaceId}/people`);
    expect((await evaluator.browser.get(`${base}/proposals/export?format=csv`)).status).toBe(200);
    for (const path of ['proposals/states', 'proposals/new', 'proposals/import', `proposals/split?proposal=${p}`, `proposals/merge?ids=${p}`]) {
      expect((await evaluator.browser.get(`${base}/${path}`)).status, path).toBe(403);
    }
    expect((await evaluator.browser.get(`/fr/admin/spaces/${f.spaceId}`)).status).toBe(403);
    expect((await evaluator.browser.get(`/fr/admin/spaces/${f.spaceId}/components`)).status).toBe(403);
    // Not assigned: not this proposal's page.
    expect((await evaluator.browser.get(`${base}/proposals/${p}`)).status).toBe(403);
    // Admins: every page.
    for (const path of pages.filter((x) => x !== 'proposals/bulk')) expect((await admin.browser.get(`${base}/${path}`)).status, path).toBe(200);
    for (const path of files) expect((await admin.browser.get(`${base}/${path}`)).status, path).toBe(200);
  });

  it('a non-admin posting any admin action gets 403 and nothing changes', async () => {
    const p = await createProposal(testDb(), f, authorA.id);
    const cases: [string, Record<string, string>][] = [
      ['answerProposal', { proposal_id: p, state_id: f.states['accepted']!, 'answer.fr': 'Non' }],
      ['publishAnswers', { component_id: f.componentId, ids: p }],
      ['assignEvaluator', { component_id: f.componentId, ids: p, evaluator_id: evaluator.id }],
      ['addNote', { proposal_id: p, body: 'note' }],
      ['saveState', { component_id: f.componentId, token: 'pirate', 'name.fr': 'Pirate', color: '#000000' }],
      ['deleteState', { component_id: f.componentId, state_id: f.states['rejected']!, confirm: 'yes' }],
      ['createOfficialProposal', { component_id: f.componentId, title: 'Une proposition officielle pirate', body: 'Un texte assez long pour passer.' }],
      ['hideProposal', { proposal_id: p, hidden: 'true' }],
      ['splitProposal', { proposal_id: p, title: 'Première partie', body: 'x' }],
    ];
    for (const [name, fields] of cases) {
      const body = new URLSearchParams(fields);
      if (name === 'splitProposal') body.append('title', 'Seconde partie');
      const page = await outsider.browser.post(act(`${publicBase}`, name), body);
      expect(page.status, name).toBe(403);
    }
    const [row] = await testDb()`select state_id, hidden_at, official from public.proposals where id = ${p}`;
    expect(row!['state_id']).toBeNull();
    expect(row!['hidden_at']).toBeNull();
    expect((await testDb()`select 1 from public.proposal_answers where proposal_id = ${p}`).length).toBe(0);
    expect((await testDb()`select 1 from public.proposal_states where component_id = ${f.componentId} and token = 'pirate'`).length).toBe(0);
  });

  it('bad input is a 4xx with a message, never a 500', async () => {
    const p = await createProposal(testDb(), f, authorA.id);
    const posts: [string, string, Record<string, string>][] = [
      [`proposals/${p}`, 'answerProposal', {}],
      [`proposals/${p}`, 'answerProposal', { proposal_id: 'nope', state_id: 'x' }],
      [`proposals/${p}`, 'answerProposal', { proposal_id: p, state_id: '00000000-0000-4000-8000-000000000000' }],
      [`proposals/${p}`, 'answerProposal', { proposal_id: p, cost: 'abc' }],
      [`proposals/${p}`, 'addNote', { proposal_id: p, body: '   ' }],
      [`proposals/${p}`, 'addNote', { proposal_id: p, parent_id: '00000000-0000-4000-8000-000000000000', body: 'x' }],
      ['proposals/bulk', 'publishAnswers', { component_id: f.componentId }],
      ['proposals/bulk', 'assignEvaluator', { component_id: f.componentId, ids: p, evaluator_id: outsider.id }],
      ['proposals/bulk', 'assignEvaluator', { component_id: f.componentId, ids: 'x', evaluator_id: 'y' }],
      ['proposals/states', 'saveState', { component_id: f.componentId, token: 'Bad Token', 'name.fr': '', color: 'red' }],
      ['proposals/states', 'deleteState', { component_id: f.componentId, state_id: 'zzz', confirm: 'yes' }],
      ['proposals/merge', 'mergeProposals', { component_id: f.componentId, ids: p, title: '' }],
      [`proposals/split?proposal=${p}`, 'splitProposal', { proposal_id: p, title: 'Une seule partie' }],
      ['proposals/import', 'importProposals', { component_id: f.componentId, source_id: f.componentId }],
      ['proposals/new', 'createOfficialProposal', { component_id: f.componentId, title: 'abc', body: '' }],
    ];
    for (const [path, name, fields] of posts) {
      const page = await admin.browser.post(act(`${base}/${path.split('?')[0]}`, name), fields);
      expect(page.status, `${name} ${JSON.stringify(fields)}`).toBeGreaterThanOrEqual(400);
      expect(page.status, `${name} ${JSON.stringify(fields)}`).toBeLessThan(500);
    }
  });
});

describe('answers', () => {
  it('wait for a bulk publication when not published immediately; the public sees nothing before', async () => {
    const p1 = await createProposal(testDb(), f, authorA.id, { title: 'Proposition à accepter' });
    const p2 = await createProposal(testDb(), f, authorB.id, { title: 'Proposition à rejeter' });
    const secret = `Réponse secrète ${Date.now()}`;
    let loc = await expect303(
      await admin.browser.post(act(`${base}/proposals/${p1}`, 'answerProposal'), {
        proposal_id: p1,
        state_id: f.states['accepted']!,
        'answer.fr': `<p>${secret}</p><script>alert(1)</script>`,
        'answer.en': '',
      }),
      'answer',
    );
    expect(loc).toBe(`${base}/proposals/${p1}?done=answered`);
    await expect303(await admin.browser.post(act(`${base}/proposals/${p2}`, 'answerProposal'), { proposal_id: p2, state_id: f.states['rejected']! }), 'answer 2');
    const [a] = await testDb()`select answer, published_at from public.proposal_answers where proposal_id = ${p1}`;
    expect(a!['published_at']).toBeNull();
    expect((a!['answer'] as Record<string, string>)['fr']).not.toContain('<script');
    // The admin page says it is not published yet; the list too.
    let page = await admin.browser.get(`${base}/proposals/${p1}`);
    expect(page.html).toContain('data-answer-published="false"');
    page = await admin.browser.get(`${base}/manage?state=not_published`);
    expect(page.text).toContain('Proposition à accepter');
    expect(page.text).toContain('Réponse non publiée');
    // The public: no state, no answer, anywhere.
    const [pub] = await asUser(ANON_CLAIMS, (tx) => tx`select state_id, answer from public.proposals where id = ${p1}`, testDb());
    expect(pub!['state_id']).toBeNull();
    expect(pub!['answer']).toEqual({});
    expect((await asUser(ANON_CLAIMS, (tx) => tx`select 1 from public.proposal_answers`, testDb()).catch((e: { code: string }) => e.code))).toBe('42501');
    expect((await asUser(userClaims(authorA.id), (tx) => tx`select 1 from public.proposal_answers where proposal_id = ${p1}`, testDb())).length).toBe(0);
    const anon = new Browser();
    for (const path of [`${publicBase}/proposals/${p1}`, publicBase, '/open-data/proposals.json', '/open-data/proposals.csv']) {
      const r = await anon.get(path);
      if (path.startsWith('/open-data')) expect(r.status, path).toBe(200);
      expect(r.html, path).not.toContain(secret);
    }
    // Bulk publication from the list.
    const body = new URLSearchParams({ component_id: f.componentId });
    body.append('ids', p1);
    body.append('ids', p2);
    loc = await expect303(await admin.browser.post(act(`${base}/proposals/bulk`, 'publishAnswers'), body), 'publish');
    expect(loc).toBe(`${base}/manage?done=published&n=2`);
    expect((await admin.browser.get(loc)).text).toContain('Réponses publiées : 2.');
    const [after] = await asUser(ANON_CLAIMS, (tx) => tx`select state_id, answer from public.proposals where id = ${p1}`, testDb());
    expect(after!['state_id']).toBe(f.states['accepted']);
    expect(JSON.stringify(after!['answer'])).toContain(secret);
    const json = await anon.get('/open-data/proposals.json');
    expect(json.html).toContain(secret);
    // Changing the answer makes it wait again; the single publish button publishes it.
    await expect303(await admin.browser.post(act(`${base}/proposals/${p1}`, 'answerProposal'), { proposal_id: p1, state_id: f.states['rejected']! }), 'change');
    expect((await testDb()`select state_id from public.proposals where id = ${p1}`)[0]!['state_id']).toBe(f.states['accepted']);
    await expect303(await admin.browser.post(act(`${base}/proposals/${p1}`, 'publishAnswers'), { component_id: f.componentId, ids: p1 }), 'publish one');
    expect((await testDb()`select state_id from public.proposals where id = ${p1}`)[0]!['state_id']).toBe(f.states['rejected']);
    // The action log has the answers.
    const log = await testDb()`select 1 from public.action_log where resource_type = 'proposal_answers' and actor_id = ${admin.id}`;
    expect(log.length).toBeGreaterThanOrEqual(3);
  });

  it('are published at once where the component says so', async () => {
    const g = await setup({ settings: { publish_answers_immediately: true } });
    const p = await createProposal(testDb(), g.f, authorA.id);
    await expect303(
      await admin.browser.post(act(`${g.base}/proposals/${p}`, 'answerProposal'), { proposal_id: p, state_id: g.f.states['evaluating']!, 'answer.fr': 'Nous étudions.' }),
      'answer',
    );
    const [pub] = await asUser(ANON_CLAIMS, (tx) => tx`select state_id, answer from public.proposals where id = ${p}`, testDb());
    expect(pub!['state_id']).toBe(g.f.states['evaluating']);
    expect((await admin.browser.get(`${g.base}/proposals/${p}`)).html).toContain('data-answer-published="true"');
  });

  it('refuse a cost where answers carry none, and keep it where they do', async () => {
    const p = await createProposal(testDb(), f, authorA.id);
    const refused = await admin.browser.post(act(`${base}/proposals/${p}`, 'answerProposal'), { proposal_id: p, state_id: f.states['accepted']!, cost: '1200' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Les réponses de ce composant ne portent pas de coût.');
    expect((await testDb()`select 1 from public.proposal_answers where proposal_id = ${p}`).length).toBe(0);
    // The form has no cost fields here.
    expect((await admin.browser.get(`${base}/proposals/${p}`)).html).not.toContain('name="cost"');
    const g = await setup({ settings: { answers_with_costs: true } });
    const q = await createProposal(testDb(), g.f, authorA.id);
    expect((await admin.browser.get(`${g.base}/proposals/${q}`)).html).toContain('name="cost"');
    const bad = await admin.browser.post(act(`${g.base}/proposals/${q}`, 'answerProposal'), { proposal_id: q, cost: '-5' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad, 'answer-cost')).toContain('montant positif');
    await expect303(
      await admin.browser.post(act(`${g.base}/proposals/${q}`, 'answerProposal'), {
        proposal_id: q,
        state_id: g.f.states['accepted']!,
        cost: '12 500,50',
        'cost_report.fr': 'Voirie',
        'execution_period.fr': '2027',
      }),
      'cost',
    );
    const [row] = await testDb()`select cost::text as cost, cost_report, execution_period from public.proposals where id = ${q}`;
    expect(row!['cost']).toBe('12500.50');
    expect(row!['execution_period']).toEqual({ fr: '2027' });
  });
});

describe('states', () => {
  it('are created, used, and not deleted while in use', async () => {
    const page = await admin.browser.post(act(`${base}/proposals/states`, 'saveState'), {
      component_id: f.componentId,
      token: 'Bad Token',
      'name.fr': '',
      color: 'rouge',
    });
    expect(page.status).toBe(400);
    expect(fieldError(page, 'state-token')).toContain('minuscule');
    expect(fieldError(page, 'state-color')).toContain('#RRVVBB');
    await expect303(
      await admin.browser.post(act(`${base}/proposals/states`, 'saveState'), {
        component_id: f.componentId,
        token: 'en_etude',
        'name.fr': 'En étude',
        'name.en': 'Under study',
        color: '#ffcc00',
        'announcement.fr': '<p>Nous regardons.</p>',
      }),
      'create state',
    );
    const dup = await admin.browser.post(act(`${base}/proposals/states`, 'saveState'), { component_id: f.componentId, token: 'en_etude', 'name.fr': 'Doublon', color: '#000000' });
    expect(dup.status).toBe(422);
    expect(fieldError(dup, 'state-token')).toContain('déjà cet identifiant');
    const [s] = await testDb()<{ id: string }[]>`select id from public.proposal_states where component_id = ${f.componentId} and token = 'en_etude'`;
    const list = await admin.browser.get(`${base}/proposals/states`);
    expect(list.text).toContain('En étude');
    expect(list.html).toContain('background:#ffcc00;color:#000000');
    // Edit.
    await expect303(
      await admin.browser.post(act(`${base}/proposals/states`, 'saveState'), {
        component_id: f.componentId,
        state_id: s!.id,
        token: 'en_etude',
        'name.fr': 'En cours d’étude',
        color: '#1f3a93',
      }),
      'edit state',
    );
    expect((await testDb()`select name from public.proposal_states where id = ${s!.id}`)[0]!['name']).toEqual({ fr: 'En cours d’étude' });
    // Used by an answer: cannot be deleted.
    const p = await createProposal(testDb(), f, authorA.id);
    await expect303(await admin.browser.post(act(`${base}/proposals/${p}`, 'answerProposal'), { proposal_id: p, state_id: s!.id }), 'answer');
    const del = await admin.browser.post(act(`${base}/proposals/states`, 'deleteState'), { component_id: f.componentId, state_id: s!.id, confirm: 'yes' });
    expect(del.status).toBe(422);
    expect(del.text).toContain('Cet état est utilisé par des propositions ou des réponses');
    // Another component's state is refused for this proposal.
    const g = await setup();
    const other = await admin.browser.post(act(`${base}/proposals/${p}`, 'answerProposal'), { proposal_id: p, state_id: g.f.states['accepted']! });
    expect(other.status).toBe(422);
    expect(other.text).toContain('Choisissez un état de ce composant.');
    // Unused: deleted; the log has the state's creation and deletion.
    await expect303(await admin.browser.post(act(`${base}/proposals/states`, 'saveState'), { component_id: f.componentId, token: 'jetable', 'name.fr': 'Jetable', color: '#000000' }), 'create');
    const [j] = await testDb()<{ id: string }[]>`select id from public.proposal_states where component_id = ${f.componentId} and token = 'jetable'`;
    await expect303(await admin.browser.post(act(`${base}/proposals/states`, 'deleteState'), { component_id: f.componentId, state_id: j!.id, confirm: 'yes' }), 'delete');
    const log = await testDb()`select action from public.action_log where resource_type = 'proposal_states' and resource_id = ${j!.id} order by id`;
    expect(log.map((r) => r['action'])).toEqual(['insert', 'delete']);
  });
});

describe('evaluators', () => {
  it('see and answer only the proposals assigned to them; notes stay between admins and the assigned evaluator', async () => {
    const g = await setup({ settings: { publish_answers_immediately: false } });
    await grantRole(testDb(), g.f, evaluator.id, 'evaluator');
    await grantRole(testDb(), g.f, evaluator2.id, 'evaluator');
    const mine = await createProposal(testDb(), g.f, authorA.id, { title: 'Proposition évaluée par moi' });
    const theirs = await createProposal(testDb(), g.f, authorB.id, { title: 'Proposition évaluée par autrui' });
    const body = new URLSearchParams({ component_id: g.f.componentId, evaluator_id: evaluator.id, ids: mine });
    expect(await expect303(await admin.browser.post(act(`${g.base}/proposals/bulk`, 'assignEvaluator'), body), 'assign')).toBe(
      `${g.base}/manage?done=assigned&n=1`,
    );
    await expect303(
      await admin.browser.post(act(`${g.base}/proposals/bulk`, 'assignEvaluator'), { component_id: g.f.componentId, evaluator_id: evaluator2.id, ids: theirs }),
      'assign 2',
    );
    // Only people with the evaluator role can be assigned.
    const notEvaluator = await admin.browser.post(act(`${g.base}/proposals/bulk`, 'assignEvaluator'), { component_id: g.f.componentId, evaluator_id: outsider.id, ids: mine });
    expect(notEvaluator.status).toBe(422);
    // Admin list filter by evaluator.
    const filtered = await admin.browser.get(`${g.base}/manage?evaluator=${evaluator.id}`);
    expect(filtered.text).toContain('Proposition évaluée par moi');
    expect(filtered.text).not.toContain('Proposition évaluée par autrui');

    const list = await evaluator.browser.get(`${g.base}/manage`);
    expect(list.status).toBe(200);
    expect(list.text).toContain('Proposition évaluée par moi');
    expect(list.text).not.toContain('Proposition évaluée par autrui');
    expect(list.html).not.toContain('name="ids"');
    const csv = await (await evaluator.browser.request(`${g.base}/proposals/export?format=csv`)).text();
    expect(csv).toContain('Proposition évaluée par moi');
    expect(csv).not.toContain('Proposition évaluée par autrui');
    const json = (await (await evaluator.browser.request(`${g.base}/proposals/export?format=json`)).json()) as { id: string }[];
    expect(json.map((r) => r.id)).toEqual([mine]);

    expect((await evaluator.browser.get(`${g.base}/proposals/${theirs}`)).status).toBe(403);
    const refused = await evaluator.browser.post(act(`${g.base}/proposals/${theirs}`, 'answerProposal'), { proposal_id: theirs, state_id: g.f.states['accepted']! });
    expect(refused.status).toBe(403);
    expect((await testDb()`select 1 from public.proposal_answers where proposal_id = ${theirs}`).length).toBe(0);
    const noteRefused = await evaluator.browser.post(act(`${g.base}/proposals/${theirs}`, 'addNote'), { proposal_id: theirs, body: 'Intrusion' });
    expect(noteRefused.status).toBe(403);
    // Evaluators do not assign.
    const assignRefused = await evaluator.browser.post(act(`${g.base}/proposals/${mine}`, 'assignEvaluator'), { component_id: g.f.componentId, evaluator_id: evaluator.id, ids: theirs });
    expect(assignRefused.status).toBe(403);

    await expect303(
      await evaluator.browser.post(act(`${g.base}/proposals/${mine}`, 'answerProposal'), { proposal_id: mine, state_id: g.f.states['accepted']!, 'answer.fr': 'Avis favorable' }),
      'evaluator answers',
    );
    const noteLoc = await expect303(await evaluator.browser.post(act(`${g.base}/proposals/${mine}`, 'addNote'), { proposal_id: mine, body: 'Coût à vérifier' }), 'note');
    expect(noteLoc).toBe(`${g.base}/proposals/${mine}?done=noted`);
    const [note] = await testDb()<{ id: string }[]>`select id from public.proposal_notes where proposal_id = ${mine}`;
    await expect303(await admin.browser.post(act(`${g.base}/proposals/${mine}`, 'addNote'), { proposal_id: mine, parent_id: note!.id, body: 'Vu, je vérifie' }), 'reply');
    // Replies are one level deep.
    const [reply] = await testDb()<{ id: string }[]>`select id from public.proposal_notes where parent_id = ${note!.id}`;
    const deep = await admin.browser.post(act(`${g.base}/proposals/${mine}`, 'addNote'), { proposal_id: mine, parent_id: reply!.id, body: 'Trop profond' });
    expect(deep.status).toBe(403);

    const adminView = await admin.browser.get(`${g.base}/proposals/${mine}`);
    expect(adminView.text).toContain('Coût à vérifier');
    expect(adminView.text).toContain('Vu, je vérifie');
    expect((await evaluator.browser.get(`${g.base}/proposals/${mine}`)).text).toContain('Vu, je vérifie');
    expect((await evaluator2.browser.get(`${g.base}/proposals/${mine}`)).status).toBe(403);
    expect((await asUser(userClaims(evaluator2.id), (tx) => tx`select 1 from public.proposal_notes where proposal_id = ${mine}`, testDb())).length).toBe(0);
    expect((await asUser(userClaims(authorA.id), (tx) => tx`select 1 from public.proposal_notes where proposal_id = ${mine}`, testDb())).length).toBe(0);

    // Unassigned: the evaluator loses the proposal.
    await expect303(
      await admin.browser.post(act(`${g.base}/proposals/${mine}`, 'unassignEvaluator'), { component_id: g.f.componentId, evaluator_id: evaluator.id, ids: mine }),
      'unassign',
    );
    expect((await evaluator.browser.get(`${g.base}/proposals/${mine}`)).status).toBe(403);
    const log = await testDb()`select action from public.action_log where resource_type = 'proposal_evaluators' and actor_id = ${admin.id} and resource_id::text = ${evaluator.id}`;
    expect(log.map((r) => r['action'])).toEqual(expect.arrayContaining(['insert', 'delete']));
  });
});

describe('merge, split, import, official proposals, moderation', () => {
  it('merges proposals into a new one with all their authors, the originals withdrawn', async () => {
    const p1 = await createProposal(testDb(), f, authorA.id, { title: 'Premier morceau' });
    const p2 = await createProposal(testDb(), f, authorB.id, { title: 'Second morceau' });
    const form = await admin.browser.get(`${base}/proposals/merge?component_id=${f.componentId}&ids=${p1}&ids=${p2}`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Premier morceau');
    const body = new URLSearchParams({ component_id: f.componentId, title: 'Les deux morceaux ensemble', body: '<p>Une proposition fusionnée, assez longue.</p>' });
    body.append('ids', p1);
    body.append('ids', p2);
    const loc = await expect303(await admin.browser.post(act(`${base}/proposals/merge`, 'mergeProposals'), body), 'merge');
    const id = /\/proposals\/([0-9a-f-]{36})\?done=merged$/.exec(loc)?.[1];
    expect(id).toBeDefined();
    const authors = await testDb()`select user_id from public.proposal_coauthors where proposal_id = ${id!} and status = 'accepted'`;
    expect(authors.map((r) => r['user_id']).sort()).toEqual([authorA.id, authorB.id].sort());
    const originals = await testDb()`select withdrawn_at from public.proposals where id in (${p1}, ${p2})`;
    expect(originals.every((r) => r['withdrawn_at'] !== null)).toBe(true);
    const one = await admin.browser.post(act(`${base}/proposals/merge`, 'mergeProposals'), { component_id: f.componentId, ids: p1, title: 'Une seule proposition' });
    expect(one.status).toBe(400);
  });

  it('splits a proposal into parts with its authors, the original withdrawn', async () => {
    const p = await createProposal(testDb(), f, authorA.id, { title: 'Deux idées en une' });
    const body = new URLSearchParams({ proposal_id: p });
    for (const [t, b] of [
      ['Première idée séparée', '<p>Le texte de la première idée.</p>'],
      ['Seconde idée séparée', '<p>Le texte de la seconde idée.</p>'],
    ] as const) {
      body.append('title', t);
      body.append('body', b);
    }
    const loc = await expect303(await admin.browser.post(act(`${base}/proposals/split`, 'splitProposal'), body), 'split');
    expect(loc).toBe(`${base}/manage?done=split&n=2`);
    const parts = await testDb()`select id, title from public.proposals where ${p} = any (origin_ids) order by title`;
    expect(parts.map((r) => r['title'])).toEqual(['Première idée séparée', 'Seconde idée séparée']);
    for (const part of parts) {
      expect((await testDb()`select user_id from public.proposal_coauthors where proposal_id = ${part['id'] as string}`).map((r) => r['user_id'])).toEqual([authorA.id]);
    }
    expect((await testDb()`select withdrawn_at from public.proposals where id = ${p}`)[0]!['withdrawn_at']).not.toBeNull();
  });

  it('imports proposals from another component once, filtered by state', async () => {
    const src = await setup();
    const dst = await setup();
    // Same admin on both spaces (setup grants it).
    const accepted = await createProposal(testDb(), src.f, authorA.id, { title: 'Acceptée à importer' });
    await createProposal(testDb(), src.f, authorB.id, { title: 'Sans réponse à importer' });
    await createProposal(testDb(), src.f, authorB.id, { title: 'Brouillon jamais importé', published: false });
    await expect303(await admin.browser.post(act(`${src.base}/proposals/${accepted}`, 'answerProposal'), { proposal_id: accepted, state_id: src.f.states['accepted']! }), 'answer');
    const page = await admin.browser.get(`${dst.base}/proposals/import`);
    expect(page.html).toContain(`value="${src.f.componentId}"`);
    let loc = await expect303(
      await admin.browser.post(act(`${dst.base}/proposals/import`, 'importProposals'), { component_id: dst.f.componentId, source_id: src.f.componentId, states: 'accepted' }),
      'import accepted',
    );
    expect(loc).toBe(`${dst.base}/manage?done=imported&n=1`);
    loc = await expect303(
      await admin.browser.post(act(`${dst.base}/proposals/import`, 'importProposals'), { component_id: dst.f.componentId, source_id: src.f.componentId }),
      'import all',
    );
    expect(loc).toBe(`${dst.base}/manage?done=imported&n=1`);
    loc = await expect303(
      await admin.browser.post(act(`${dst.base}/proposals/import`, 'importProposals'), { component_id: dst.f.componentId, source_id: src.f.componentId }),
      'import again',
    );
    expect(loc).toBe(`${dst.base}/manage?done=imported&n=0`);
    const titles = await testDb()`select title from public.proposals where component_id = ${dst.f.componentId} order by title`;
    expect(titles.map((r) => r['title'])).toEqual(['Acceptée à importer', 'Sans réponse à importer']);
    // From a component the admin does not administer: refused.
    const foreign = await createProposalsComponent(testDb());
    const refused = await admin.browser.post(act(`${dst.base}/proposals/import`, 'importProposals'), { component_id: dst.f.componentId, source_id: foreign.componentId });
    expect(refused.status).toBe(403);
  });

  it('publishes official proposals by admins, where enabled; participants cannot', async () => {
    const loc = await expect303(
      await admin.browser.post(act(`${base}/proposals/new`, 'createOfficialProposal'), {
        component_id: f.componentId,
        title: 'Proposition de la mairie',
        body: '<p>La mairie propose un jardin partagé.</p>',
        address: '1 place de la Mairie',
      }),
      'official',
    );
    const id = /\/proposals\/([0-9a-f-]{36})$/.exec(loc)?.[1];
    const [row] = await testDb()`select official, author_id, published_at from public.proposals where id = ${id!}`;
    expect(row!['official']).toBe(true);
    expect(row!['author_id']).toBeNull();
    expect(row!['published_at']).not.toBeNull();
    const short = await admin.browser.post(act(`${base}/proposals/new`, 'createOfficialProposal'), { component_id: f.componentId, title: 'Jardin partagé', body: 'court' });
    expect(short.status).toBe(422);
    expect(fieldError(short, 'official-body')).toContain('15 caractères');
    // A participant, through the action or straight to the database: refused.
    expect(
      (await authorA.browser.post(act(`${base}/proposals/new`, 'createOfficialProposal'), { component_id: f.componentId, title: 'Fausse proposition officielle', body: 'Un texte assez long pour passer.' })).status,
    ).toBe(403);
    const direct = await asUser(
      userClaims(authorA.id),
      (tx) => tx`insert into public.proposals (component_id, official, title, body, published_at) values (${f.componentId}, true, 'Fausse officielle', 'Un texte assez long pour passer.', now())`,
      testDb(),
    ).catch((e: { code: string }) => e.code);
    expect(direct).toBe('42501');
    // Disabled: the page says so and the action is refused.
    const g = await setup({ settings: { official_proposals_enabled: false } });
    expect((await admin.browser.get(`${g.base}/proposals/new`)).text).toContain('ne sont pas activées');
    expect((await admin.browser.get(`${g.base}/manage`)).html).not.toContain('/proposals/new');
    const off = await admin.browser.post(act(`${g.base}/proposals/new`, 'createOfficialProposal'), { component_id: g.f.componentId, title: 'Proposition refusée', body: 'Un texte assez long pour passer.' });
    expect(off.status).toBe(403);
  });

  it('hides and unhides a proposal', async () => {
    const p = await createProposal(testDb(), f, authorA.id);
    await expect303(await admin.browser.post(act(`${base}/proposals/${p}`, 'hideProposal'), { proposal_id: p, hidden: 'true' }), 'hide');
    expect((await asUser(ANON_CLAIMS, (tx) => tx`select 1 from public.proposals where id = ${p}`, testDb())).length).toBe(0);
    expect((await admin.browser.get(`${base}/manage?state=hidden`)).html).toContain(`data-proposal="${p}"`);
    await expect303(await admin.browser.post(act(`${base}/proposals/${p}`, 'hideProposal'), { proposal_id: p, hidden: 'false' }), 'unhide');
    expect((await asUser(ANON_CLAIMS, (tx) => tx`select 1 from public.proposals where id = ${p}`, testDb())).length).toBe(1);
  });
});
