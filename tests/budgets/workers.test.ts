import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import postgres from 'postgres';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser } from '../../src/lib/db/index.ts';
import { ballotPoints, ballotProjects, parsePabulib } from '../../src/features/budgets/pabulib.ts';
import { tallyEqualShares, tallyGreedy } from '../../src/features/budgets/tally.ts';
import { migrate } from '../../supabase/local/migrate.ts';
import { sendReminders } from '../../workers/budgets/remind.ts';
import { tallyComponent, tallyJob } from '../../workers/budgets/tally.ts';
import type { JobContext } from '../../workers/job.ts';
import { userClaims } from '../db/fixtures.ts';
import { connectTestDb, createScratchDatabase, databaseUrlFor, dropScratchDatabase } from '../helpers/db.ts';
import { addProject, checkout, createBudget, createBudgetsComponent, createProjects, createUsers, grantRole, updatePhase, updateSettings } from './fixtures.ts';

/*
 * The budgets jobs, in a database of their own (they act on every due ballot and every pending
 * request of the database, and the shared one has the seed's): `budgets.tally` when the vote
 * closes (admin's action or phase change) — the results it writes are those of the tally itself,
 * a confirmed selection is never overwritten, and an imported Pabulib instance comes out with
 * its published votes and its rule's selection; `budgets.remind` mails each unfinished ballot
 * once, through a real SMTP server.
 */

let admin: postgres.Sql;
let db: postgres.Sql;
let dbName: string;
const logs: string[] = [];
const ctx = (): JobContext => ({ db, log: (l) => logs.push(l) });

beforeAll(async () => {
  admin = connectTestDb();
  dbName = await createScratchDatabase(admin, 'budgets');
  await migrate({ databaseUrl: databaseUrlFor(dbName), local: true, seed: false });
  db = postgres(databaseUrlFor(dbName), { max: 6, onnotice: () => {} });
  await db`insert into public.organization (name, time_zone) values ('{"fr": "Ville test"}', 'Europe/Paris')`;
});

afterAll(async () => {
  await db?.end();
  await dropScratchDatabase(admin, dbName);
  await admin.end();
});

async function pending(componentId: string): Promise<boolean> {
  const [r] = await db<{ pending: boolean }[]>`select done_at is null as pending from public.budget_tally_requests where component_id = ${componentId}`;
  return r?.pending ?? false;
}

describe('budgets.tally', () => {
  it('runs when an admin closes the vote, writes the tally of the ballots, keeps a confirmed selection', async () => {
    const f = await createBudgetsComponent(db);
    const [boss, ...voters] = await createUsers(db, 7, 'tally');
    await grantRole(db, f, boss!, 'admin');
    const greedy = await createBudget(db, f, { total: 100, thresholdPercent: 10 });
    const shares = await createBudget(db, f, { total: 100, thresholdPercent: 10, method: 'equal_shares' });
    const g = await createProjects(db, greedy, [60, 50, 30, 10]);
    const s = await createProjects(db, shares, [60, 40, 30, 30]);
    // Greedy (60, 50, 30, 10): votes 4, 1, 3, 3; the tie goes to the cheaper. Equal Shares: the
    // hand-worked example of tally.test.ts (A, B, C, D).
    const greedyBallots = [[0, 2, 3], [0, 3], [1, 2, 3], [0, 2], [0]];
    const sharesBallots = [[0, 1], [0, 1], [0, 2], [3]];
    for (const [i, b] of greedyBallots.entries()) {
      for (const j of b) await addProject(db, voters[i]!, greedy, g[j]!);
      await checkout(db, voters[i]!, greedy);
    }
    for (const [i, b] of sharesBallots.entries()) {
      for (const j of b) await addProject(db, voters[i]!, shares, s[j]!);
      await checkout(db, voters[i]!, shares);
    }
    // A ballot left unconfirmed does not count.
    await addProject(db, voters[5]!, greedy, g[3]!);

    expect(await pending(f.componentId)).toBe(false);
    // The admin closes the vote: the active phase's `votes` becomes finished.
    await asUser(userClaims(boss!), (tx) => tx`
      update public.components set phase_settings = jsonb_set(phase_settings, ${[f.phaseId, 'votes']}::text[], '"finished"')
      where id = ${f.componentId}`, db);
    expect(await pending(f.componentId)).toBe(true);

    expect(await tallyJob.handle(null, ctx())).toEqual({ tallied: [f.componentId] });
    expect(await pending(f.componentId)).toBe(false);

    const results = async (budget: string) =>
      db<{ project_id: string; votes: number; rank: number; proposed: boolean; paid_by: string | null; average_payment: string | null }[]>`
        select project_id, votes, rank, proposed, paid_by, average_payment::text from public.budget_results where budget_id = ${budget} order by rank`;
    const gr = await results(greedy);
    const expectedGreedy = tallyGreedy(g.map((id, i) => ({ id, cost: [60, 50, 30, 10][i]! })), greedyBallots.map((p) => ({ projects: p })), 100);
    expect(gr.map((r) => [r.project_id, r.votes, r.proposed])).toEqual(expectedGreedy.projects.map((p) => [p.id, p.votes, p.proposed]));
    expect(gr.filter((r) => r.proposed).map((r) => r.project_id).sort()).toEqual([g[0]!, g[2]!, g[3]!].sort());
    const sr = await results(shares);
    const expectedShares = tallyEqualShares(s.map((id, i) => ({ id, cost: [60, 40, 30, 30][i]! })), sharesBallots.map((p) => ({ projects: p })), 100);
    expect(sr.filter((r) => r.proposed).map((r) => r.project_id).sort()).toEqual([s[0]!, s[3]!].sort());
    expect(sr.find((r) => r.project_id === s[0])).toMatchObject({ paid_by: 'shares', average_payment: '20.00' });
    expect(expectedShares.details).toMatchObject({ finalShare: 30 });
    const [t] = await db<{ method: string; voters: number; spent: string; details: Record<string, number> }[]>`
      select method, voters, spent::text, details from public.budget_tallies where budget_id = ${shares}`;
    expect(t).toMatchObject({ method: 'equal_shares', voters: 4, spent: '90', details: { initialShare: 25, finalShare: 30 } });

    // The admins confirm another selection; a new tally leaves it.
    await asUser(userClaims(boss!), (tx) => tx`select public.budgets_confirm_selection(${greedy}, ${[g[0]!, g[1]!]}::uuid[])`, db);
    const again = await tallyComponent(db, f.componentId);
    expect(again.find((r) => r.budgetId === greedy)?.saved).toBe(false);
    const selected = await db<{ id: string }[]>`select id from public.projects where budget_id = ${greedy} and selected_at is not null order by id`;
    expect(selected.map((r) => r.id)).toEqual([g[0]!, g[1]!].sort());
  });

  it('runs when the phase that finishes the vote becomes active', async () => {
    const f = await createBudgetsComponent(db);
    const next = randomUUID();
    await db`insert into public.phases (id, space_id, position, title) values (${next}, ${f.spaceId}, 2, ${db.json({ fr: 'Résultats' })})`;
    await db`update public.components set phase_settings = phase_settings || ${db.json({ [next]: { votes: 'finished' } })} where id = ${f.componentId}`;
    expect(await pending(f.componentId)).toBe(false);
    await db`select public.activate_phase(${next})`;
    expect(await pending(f.componentId)).toBe(true);
  });

  it.each([
    ['france_toulouse_2019_.pb', ['4', '16', '13', '10', '20', '30', '29', '1', '5', '18', '7', '6', '27', '12', '14', '24']],
    ['poland_czestochowa_2020_grabowka.pb', ['196', '443', '463', '47', '198']],
  ])('an imported Pabulib instance (%s) comes out with its published votes and its rule’s selection', { timeout: 60_000 }, async (file, expected) => {
    const inst = parsePabulib(readFileSync(join(import.meta.dirname, 'pabulib', file), 'utf8'));
    const f = await createBudgetsComponent(db, { phase: { votes: 'finished' } });
    const [boss] = await createUsers(db, 1, 'importer');
    await grantRole(db, f, boss!, 'admin');
    const projects = inst.projects.map((p) => ({ ref: p['project_id'], cost: Number(p['cost']), name: p['name'] ?? '' }));
    const ballots = inst.votes.map((v) => ({ ref: v['voter_id'], projects: ballotProjects(v), points: ballotPoints(v) }));
    const [row] = await asUser(userClaims(boss!), (tx) => tx<{ id: string }[]>`
      select public.budgets_import_pabulib(${f.componentId}, ${tx.json(inst.meta)}, ${tx.json(projects as never)}, ${tx.json(ballots as never)}) as id`, db);
    const budget = row!.id;
    // Closed to votes: a participant's ballot is refused.
    const [voter] = await createUsers(db, 1, 'late');
    await updatePhase(db, f, { votes: 'enabled' });
    await expect(asUser(userClaims(voter!), (tx) => tx`insert into public.ballots (budget_id) values (${budget})`, db)).rejects.toMatchObject({ constraint_name: 'budgets_imported' });
    await asUser(userClaims(boss!), (tx) => tx`select public.budgets_request_tally(${f.componentId})`, db);
    await tallyJob.handle({ componentId: f.componentId }, ctx());
    const rows = await db<{ ref: string; votes: number; published: number; proposed: boolean }[]>`
      select p.source_ref as ref, r.votes, 0 as published, r.proposed from public.budget_results r join public.projects p on p.id = r.project_id
      where r.budget_id = ${budget}`;
    for (const p of inst.projects) expect(rows.find((r) => r.ref === p['project_id'])?.votes, p['project_id']).toBe(Number(p['votes']));
    expect(rows.filter((r) => r.proposed).map((r) => r.ref).sort()).toEqual([...expected].sort());
    const [t] = await db<{ voters: number; method: string }[]>`select voters, method from public.budget_tallies where budget_id = ${budget}`;
    expect(t).toEqual({ voters: inst.votes.length, method: 'greedy' });
  });
});

describe('budgets.remind', () => {
  let server: SMTPServer;
  let port = 0;
  const received: { to: string[]; data: string }[] = [];

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (c: Buffer) => (data += c.toString('utf8')));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  // Quoted-printable soft breaks and escapes, enough to read the mail's text.
  const decode = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));

  it('mails each unfinished ballot once, after the delay, while the vote is open', async () => {
    const f = await createBudgetsComponent(db, { settings: { reminder_delay_hours: 24 } });
    const budget = await createBudget(db, f, { thresholdPercent: 10 });
    const [p] = await createProjects(db, budget, [200]);
    const [late, recent, done, emptied] = await createUsers(db, 4, 'remind');
    for (const v of [late, recent, done, emptied]) await addProject(db, v!, budget, p!);
    await checkout(db, done!, budget);
    await asUser(userClaims(emptied!), (tx) => tx`delete from public.ballot_lines where project_id = ${p!}`, db);
    await db`update public.ballots set updated_at = now() - interval '25 hours' where budget_id = ${budget} and user_id <> ${recent!}`;
    const transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    const opts = { transport, sender: 'noreply@test.decidons.fr', siteUrl: 'https://participation.example.fr' };
    const [lateEmail] = await db<{ email: string }[]>`select email from auth.users where id = ${late!}`;

    expect(await sendReminders(db, opts)).toEqual({ sent: 1 });
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual([lateEmail!.email]);
    const text = decode(received[0]!.data);
    expect(text).toMatch(/Subject: =\?UTF-8\?Q\?Votre_vote_n|Subject: Votre vote n/);
    expect(text).toContain(`https://participation.example.fr/fr/processes/`);
    expect(text).toContain(`/f/${f.componentId}/budgets/${budget}#ballot`);
    // Once per ballot.
    expect(await sendReminders(db, opts)).toEqual({ sent: 0 });
    // None when the vote is closed, nor when the component's delay is 0.
    await db`update public.ballots set updated_at = now() - interval '25 hours' where budget_id = ${budget} and user_id = ${recent!}`;
    await updatePhase(db, f, { votes: 'disabled' });
    expect(await sendReminders(db, opts)).toEqual({ sent: 0 });
    await updatePhase(db, f, { votes: 'enabled' });
    await updateSettings(db, f, { reminder_delay_hours: 0 });
    expect(await sendReminders(db, opts)).toEqual({ sent: 0 });
    await updateSettings(db, f, { reminder_delay_hours: 24 });
    expect(await sendReminders(db, opts)).toEqual({ sent: 1 });
    expect(received).toHaveLength(2);
    transport.close();
  });
});
