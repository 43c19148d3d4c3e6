import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser } from '../web/helpers.ts';
import { closeTestDb, testDb } from '../web/spaces-helpers.ts';
import { act, person, proposalsPlace, published, setSettings, type Person, type Place } from './page-fixtures.ts';
import { diffWords } from '../../src/features/proposals/diff.ts';
import { bodyText, proposalBodyHtml } from '../../src/features/proposals/inputs.ts';

/*
 * The proposal page as served, without JavaScript: what everyone sees (number, authors, state and
 * official answer with cost, supports, comments), in both languages; the minimum-supports note;
 * comments on a proposal posted through the page's own route.
 */

let place: Place;
let alice: Person;
let bob: Person;

beforeAll(async () => {
  place = await proposalsPlace({ minimum_votes_per_user: 2, answers_with_costs: true, publish_answers_immediately: true, proposal_answering_enabled: true });
  [alice, bob] = await Promise.all([person('Alice Page'), person('Bob Page')]);
});
afterAll(async () => {
  await closeTestDb();
});

describe('the proposal page', () => {
  it('renders number, authors, official answer with cost and period, in French and English', async () => {
    const id = await published(place, alice.id, { title: 'Un marché de producteurs' });
    const db = testDb();
    const [state] = await db<{ id: string }[]>`select id from public.proposal_states where component_id = ${place.componentId} and token = 'accepted'`;
    await db`
      insert into public.proposal_answers (proposal_id, state_id, answer, cost, execution_period)
      values (${id}, ${state!.id}, ${db.json({ fr: '<p>Bonne idée, <strong>retenue</strong>.</p>', en: '<p>Good idea.</p>' })}, 1500,
        ${db.json({ fr: 'Printemps 2027', en: 'Spring 2027' })})`;
    const number = (await db<{ number: string }[]>`select number::text from public.proposals where id = ${id}`)[0]!.number;
    const fr = await new Browser().get(place.page(id));
    expect(fr.status).toBe(200);
    expect(fr.text).toContain(`Proposition n° ${number}`);
    expect(fr.text).toContain('Alice Page');
    expect(fr.text).toContain('Acceptée');
    expect(fr.text).toContain('Réponse officielle');
    expect(fr.html).toContain('<strong>retenue</strong>');
    expect(fr.text).toMatch(/Coût estimé : 1\s500,00\s€/);
    expect(fr.text).toContain('Printemps 2027');
    expect(fr.html).toContain('id="comments-title"');
    expect(fr.html).toContain('aria-live="polite"');
    const en = await new Browser().get(place.page(id).replace('/fr/', '/en/'));
    expect(en.status).toBe(200);
    expect(en.lang).toBe('en');
    expect(en.text).toContain('Official answer');
    expect(en.text).toContain('Accepted');
    expect(en.text).toContain('Spring 2027');
    // Answered: no longer editable by its author.
    expect((await alice.browser.get(place.page(id))).html).not.toContain(`${place.page(id)}/edit"`);
  });

  it('minimum supports: a note until the person has cast enough; pending supports do not count', async () => {
    const [p1, p2] = await Promise.all([published(place, alice.id), published(place, alice.id)]);
    let page = await bob.browser.get(place.page(p1));
    expect(page.text).toContain('Vos soutiens ne comptent qu’à partir de 2 propositions soutenues (vous en soutenez 0).');
    expect((await bob.browser.post(act(place.page(p1), 'supportProposal'), { proposal_id: p1 })).status).toBe(303);
    page = await bob.browser.get(place.page(p1));
    expect(page.text).toContain('0 soutien');
    expect(page.text).toContain('(vous en soutenez 1)');
    expect((await bob.browser.post(act(place.page(p2), 'supportProposal'), { proposal_id: p2 })).status).toBe(303);
    page = await bob.browser.get(place.page(p1));
    expect(page.text).toContain('1 soutien');
    expect(page.text).not.toContain('ne comptent qu’à partir');
  });

  it('the participation read-back (for the page\'s island) says, as the visitor, the counts and what they did; 404 otherwise', async () => {
    const id = await published(place, alice.id);
    expect((await bob.browser.post(act(place.page(id), 'likeProposal'), { proposal_id: id })).status).toBe(303);
    const api = `/api/proposals/${id}/participation?component=${place.componentId}`;
    const mine = await bob.browser.get(api);
    expect(mine.status).toBe(200);
    expect(mine.headers.get('cache-control')).toContain('no-store');
    const state = JSON.parse(mine.html) as Record<string, unknown>;
    expect(state).toMatchObject({ likes: 1, liked: true, supported: false, following: false });
    expect(typeof state['supportsCast']).toBe('number');
    expect(JSON.parse((await new Browser().get(api)).html)).toMatchObject({ likes: 1, liked: false, supportsCast: 0 });
    expect((await bob.browser.get(`/api/proposals/${id}/participation?component=nope`)).status).toBe(404);
    expect((await bob.browser.get(`/api/proposals/not-an-id/participation?component=${place.componentId}`)).status).toBe(404);
  });

  it('comments on a proposal post through its page and come back to it', async () => {
    const id = await published(place, alice.id);
    const posted = await bob.browser.post(`${place.page(id)}?_action=comments.addComment`, { resource_type: 'proposal', resource_id: id, body: 'Je soutiens **fort**' });
    expect(posted.status).toBe(303);
    expect(posted.location).toMatch(new RegExp(`^${place.page(id)}#comment-`));
    const page = await new Browser().get(place.page(id));
    expect(page.html).toContain('<strong>fort</strong>');
    expect((await testDb()<{ comments_count: number }[]>`select comments_count from public.proposals where id = ${id}`)[0]!.comments_count).toBe(1);
    await setSettings(place, { comments_enabled: false });
    expect((await new Browser().get(place.page(id))).html).not.toContain('id="comments-title"');
    await setSettings(place, { comments_enabled: true });
  });

  it('a proposal of another component, or of an unknown space, is a 404', async () => {
    const other = await proposalsPlace();
    const id = await published(other, alice.id);
    expect((await new Browser().get(place.page(id))).status).toBe(404);
    expect((await new Browser().get(other.page(id).replace('/processes/', '/nowhere/'))).status).toBe(404);
    expect((await new Browser().get(other.page(id))).status).toBe(200);
  });

  it('live status partial: 200 for a visible proposal, 404 otherwise', async () => {
    const id = await published(place, alice.id);
    const ok = await new Browser().get(`/api/proposals/${id}/status?component=${place.componentId}&locale=en`);
    expect(ok.status).toBe(200);
    expect(ok.html).toContain('data-proposal-status');
    expect(ok.text).toContain('No official answer yet');
    expect((await new Browser().get(`/api/proposals/${id}/status?component=nope`)).status).toBe(404);
    expect((await new Browser().get(`/api/proposals/bad/status?component=${place.componentId}`)).status).toBe(404);
  });
});

describe('pure helpers', () => {
  it('bodies: the Markdown subset; paragraphs and line breaks; raw HTML shown as text', () => {
    expect(proposalBodyHtml('Un\n\nDeux\ntrois')).toBe('<p>Un</p><p>Deux<br />trois</p>');
    expect(proposalBodyHtml('## Titre\n\na *b* [c](https://x.org)\n\n> q')).toBe(
      '<p>Titre</p><p>a <em>b</em> <a href="https://x.org" rel="nofollow ugc noopener" target="_blank">c</a></p><blockquote><p>q</p></blockquote>',
    );
    expect(proposalBodyHtml('<h2>Titre</h2>')).toBe('<p>&lt;h2&gt;Titre&lt;/h2&gt;</p>');
    expect(proposalBodyHtml('1 < 2 & 3')).toBe('<p>1 &lt; 2 &amp; 3</p>');
    expect(bodyText('<p>a &amp; b</p><ul><li>x</li></ul>')).toBe('a & b\nx');
  });
  it('word diff', () => {
    expect(diffWords('le chat dort', 'le chien dort')).toEqual([
      { op: 'equal', text: 'le ' },
      { op: 'delete', text: 'chat' },
      { op: 'insert', text: 'chien' },
      { op: 'equal', text: ' dort' },
    ]);
    expect(diffWords('', 'nouveau')).toEqual([{ op: 'insert', text: 'nouveau' }]);
    const big = 'mot '.repeat(5000);
    expect(diffWords(big, `${big}fin`).at(-1)).toEqual({ op: 'insert', text: 'fin' });
  });
});
