import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import postgres from 'postgres';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asUser } from '../../src/lib/db/index.ts';
import { ballotPoints, ballotProjects, parsePabulib } from '../../src/features/budgets/pabulib.ts';
import { tallyEqualShares, tallyGreedy } from '../../src/features/budgets/tally.ts';
import { migrate } from '../../supabase/local/migrate.ts';
import { SmtpBatchSender } from '../../src/lib/mail/smtp-batch.ts';
import { raiseReminders } from '../../workers/budgets/remind.ts';
import { deliverNotificationEvents } from '../../workers/notifications/deliver.ts';
import { sendNotificationEmails } from '../../workers/notifications/send-emails.ts';
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
 * its published votes and its rule's selection; `budgets.remind` reminds each unfinished ballot
 * once, by a notification the notification workers send through a real SMTP server.
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

  /** What a mail client shows of a received message (its headers decoded, its text part). */
  async function read(raw: string) {
    const m = await simpleParser(raw);
    // (mailparser folds the List-* headers into one object: read them as the source has them.)
    const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ').split('\r\n');
    const header = (name: string) => head.find((l) => l.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
    return { subject: m.subject ?? '', from: m.from?.value[0], text: m.text ?? '', header, lang: m.headers.get('content-language') };
  }

  /** The reminders raised, delivered and sent as the workers do (the notification jobs), into this test's SMTP server. */
  async function remindAndSend(): Promise<number> {
    const { reminded } = await raiseReminders(db);
    await deliverNotificationEvents(db);
    const sender = new SmtpBatchSender(`smtp://127.0.0.1:${port}`, { connections: 1 });
    try {
      await sendNotificationEmails(db, { siteUrl: 'https://participation.example.fr', sender: 'noreply@test.decidons.fr', secret: inject('stack').jwtSecret }, sender);
    } finally {
      await sender.close();
    }
    return reminded;
  }

  it('reminds each unfinished ballot once, after the delay, while the vote is open, by an email from the organization in the voter’s language', async () => {
    const f = await createBudgetsComponent(db, { settings: { reminder_delay_hours: 24 } });
    const budget = await createBudget(db, f, { thresholdPercent: 10 });
    const [p] = await createProjects(db, budget, [200]);
    const [late, recent, done, emptied] = await createUsers(db, 4, 'remind');
    for (const v of [late, recent, done, emptied]) await addProject(db, v!, budget, p!);
    await checkout(db, done!, budget);
    await asUser(userClaims(emptied!), (tx) => tx`delete from public.ballot_lines where project_id = ${p!}`, db);
    await db`update public.ballots set updated_at = now() - interval '25 hours' where budget_id = ${budget} and user_id <> ${recent!}`;
    const [lateEmail] = await db<{ email: string }[]>`select email from auth.users where id = ${late!}`;
    const title = (await db<{ title: string }[]>`select title ->> 'fr' as title from public.budgets where id = ${budget}`)[0]!.title;
    const [doneEmail] = await db<{ email: string }[]>`select email from auth.users where id = ${done!}`;

    const mine = new Set((await db<{ email: string }[]>`select email from auth.users where id = any (${[late!, recent!, done!, emptied!]}::uuid[])`).map((r) => r.email));
    const before = received.length;
    expect(await remindAndSend()).toBe(1);
    // The reminder to the late voter, and the confirmation of the one who checked out: nobody else
    // of them (the other tests' voters get their own confirmations: this database's outbox is sent).
    const mails = received.slice(before).filter((m) => mine.has(m.to[0]!));
    expect(mails.map((m) => m.to[0]).sort()).toEqual([doneEmail!.email, lateEmail!.email].sort());
    const reminder = await read(mails.find((m) => m.to[0] === lateEmail!.email)!.data);
    expect(reminder.subject).toBe(`Votre vote pour « ${title} » n’est pas encore confirmé : vous avez choisi 1 projet, il ne compte qu’une fois confirmé`);
    expect(reminder.from).toEqual({ name: 'Ville test', address: 'noreply@test.decidons.fr' });
    expect(reminder.lang).toBe('fr');
    expect(reminder.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(reminder.header('list-unsubscribe')).toContain('https://participation.example.fr/api/unsubscribe?token=');
    expect(reminder.text).toContain(`https://participation.example.fr/fr/processes/`);
    expect(reminder.text).toContain(`/f/${f.componentId}/budgets/${budget}#ballot`);
    expect(reminder.text).toContain('L’équipe de Ville test');
    const confirmation = await read(mails.find((m) => m.to[0] === doneEmail!.email)!.data);
    expect(confirmation.subject).toBe(`Votre vote pour « ${title} » est enregistré (1 projet)`);
    // Once per ballot.
    const mailed = received.length;
    expect(await remindAndSend()).toBe(0);
    // None when the vote is closed, nor when the component's delay is 0.
    await db`update public.ballots set updated_at = now() - interval '25 hours' where budget_id = ${budget} and user_id = ${recent!}`;
    await updatePhase(db, f, { votes: 'disabled' });
    expect(await remindAndSend()).toBe(0);
    await updatePhase(db, f, { votes: 'enabled' });
    await updateSettings(db, f, { reminder_delay_hours: 0 });
    expect(await remindAndSend()).toBe(0);
    expect(received).toHaveLength(mailed);
    await updateSettings(db, f, { reminder_delay_hours: 24 });
    // An English-speaking voter reads it in English; whoever turned these reminders off gets none by email.
    await db`update public.profiles set locale = 'en' where id = ${recent!}`;
    expect(await remindAndSend()).toBe(1);
    expect(received).toHaveLength(mailed + 1);
    expect((await read(received.at(-1)!.data)).subject).toBe(`Your vote in “${title}” is not confirmed yet: you chose 1 project, it counts only once confirmed`);
    expect(await db`select 1 from public.notifications where kind = 'budgets.vote_reminder' and user_id = ${recent!}`).toHaveLength(1);
  });

  it('a voter who chose never for reminders is told in the site only', async () => {
    const f = await createBudgetsComponent(db, { settings: { reminder_delay_hours: 1 } });
    const budget = await createBudget(db, f, { thresholdPercent: 10 });
    const [p] = await createProjects(db, budget, [200]);
    const [quiet] = await createUsers(db, 1, 'quietremind');
    await addProject(db, quiet!, budget, p!);
    await asUser(userClaims(quiet!), (tx) => tx`insert into public.notification_settings (kind, email) values ('budgets.vote_reminder', 'never')`, db);
    await db`update public.ballots set updated_at = now() - interval '2 hours' where budget_id = ${budget}`;
    const before = received.length;
    expect(await remindAndSend()).toBe(1);
    expect(received).toHaveLength(before);
    expect(await db`select 1 from public.notifications where kind = 'budgets.vote_reminder' and user_id = ${quiet!}`).toHaveLength(1);
  });
});
