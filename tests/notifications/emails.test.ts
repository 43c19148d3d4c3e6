import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SmtpBatchSender } from '../../src/lib/mail/smtp-batch.ts';
import { verifyUnsubscribe } from '../../src/lib/mail/unsubscribe.ts';
import { migrate } from '../../supabase/local/migrate.ts';
import { deliverNotificationEvents } from '../../workers/notifications/deliver.ts';
import { sendNotificationEmails } from '../../workers/notifications/send-emails.ts';
import { buildDueDigests } from '../../workers/notifications/sweep.ts';
import { connectTestDb, createScratchDatabase, databaseUrlFor, dropScratchDatabase } from '../helpers/db.ts';
import { mailsTo, type MaildevEmail } from '../helpers/mail.ts';
import { createDebate, createDebatesComponent } from '../debates/fixtures.ts';
import { createProposal, createProposalsComponent, type ProposalsFixture } from '../proposals/fixtures.ts';
import { as, commentOn, nicknameOf } from './fixtures.ts';

/*
 * Notification emails through the real SMTP catcher (maildev), sent by the workers' code: the
 * recipient's language, the organization's name as sender and signature, HTML and text, a link to
 * the resource, an unsubscribe link and RFC 8058's headers; each email once; digests built for
 * everyone of a period in one statement, one per person. In a database of its own: the sends drain
 * its whole outbox, and other test files' people must not receive anything from it.
 */

let admin: postgres.Sql;
let db: postgres.Sql;
let dbName: string;
let sender: SmtpBatchSender;
const siteUrl = 'https://participer.example.org';
const settings = () => ({ siteUrl, sender: 'ne-pas-repondre@example.org', secret: inject('stack').jwtSecret });
const tag = randomUUID().slice(0, 6);

interface Person {
  id: string;
  email: string;
}

async function person(label: string, locale: 'fr' | 'en' = 'fr'): Promise<Person> {
  const id = randomUUID();
  const email = `${label}-${tag}-${id.slice(0, 6)}@example.org`;
  await db`insert into auth.users (id, aud, role, email, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
           values (${id}, 'authenticated', 'authenticated', ${email}, ${db.json({ name: `${label} ${tag}`, locale })}, '{}', now(), now())`;
  return { id, email };
}

async function deliverAndSend() {
  await deliverNotificationEvents(db);
  return sendNotificationEmails(db, settings(), sender);
}

/** A header of an email as the SMTP catcher received it (its raw source: maildev's parsed view leaves out the List-* headers). */
async function header(m: MaildevEmail, name: string): Promise<string | undefined> {
  const id = (m as unknown as { id: string }).id;
  const source = await (await fetch(`${inject('stack').mailApiUrl}/email/${id}/source`)).text();
  const head = source.slice(0, source.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

beforeAll(async () => {
  admin = connectTestDb();
  dbName = await createScratchDatabase(admin, 'notify_mail');
  await migrate({ databaseUrl: databaseUrlFor(dbName), local: true, seed: false });
  db = postgres(databaseUrlFor(dbName), { max: 6, onnotice: () => {} });
  await db`insert into public.organization (name, time_zone, default_locale)
           values (${db.json({ fr: 'Ville de Test', en: 'Test City' })}, 'Europe/Paris', 'fr')`;
  sender = new SmtpBatchSender(inject('stack').smtpUrl, { connections: 4 });
});

afterAll(async () => {
  await sender?.close();
  await db?.end();
  await dropScratchDatabase(admin, dbName);
  await admin.end();
});

describe('notification emails', () => {
  let f: ProposalsFixture;
  let author: Person, anglophone: Person;
  let proposal: string;

  beforeAll(async () => {
    f = await createProposalsComponent(db);
    author = await person('auteur');
    anglophone = await person('reader', 'en');
    proposal = await createProposal(db, f, author.id, { title: 'Des bancs place du marché' });
  });

  it('tells each person in their language, from the organization, with a link, an unsubscribe link and one-click headers', async () => {
    const c = await commentOn(db, anglophone.id, { type: 'proposal', id: proposal }, `What do you think, @${await nicknameOf(db, author.id)}?`);
    const reply = await commentOn(db, author.id, { type: 'proposal', id: proposal }, 'Bonne question, je regarde.', c);
    const result = await deliverAndSend();
    expect(result.sent).toBeGreaterThanOrEqual(3);

    // The author: the confirmation of their proposal and the mention, in French.
    const authorMails = await mailsTo(author.email);
    expect(authorMails.map((m) => m.subject).sort()).toEqual([
      `Votre proposition « Des bancs place du marché » est publiée`,
      `reader ${tag} vous a mentionné·e dans un commentaire sur « Des bancs place du marché »`,
    ]);
    const mention = authorMails.find((m) => m.subject.includes('mentionné'))!;
    expect((mention as unknown as { from: { name: string; address: string }[] }).from[0]).toEqual({ name: 'Ville de Test', address: 'ne-pas-repondre@example.org' });
    const link = `${siteUrl}/fr/processes/${(await db`select slug from public.spaces where id = ${f.spaceId}`)[0]!['slug']}/f/${f.componentId}/proposals/${proposal}#comment-${c}`;
    expect(mention.text).toContain(link);
    expect(mention.text).toContain('L’équipe de Ville de Test');
    expect(mention.html).toContain(`href="${link.replace(/&/g, '&#38;')}"`);
    expect(mention.html).toContain('<html lang="fr"');
    // One-click unsubscribe (RFC 8058): an https address answered by POST, and the page in the footer.
    const listUnsubscribe = (await header(mention, 'List-Unsubscribe'))!;
    expect(listUnsubscribe).toMatch(new RegExp(`^<${siteUrl}/api/unsubscribe\\?token=[^>]+>$`));
    expect(await header(mention, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const token = new URL(listUnsubscribe.slice(1, -1)).searchParams.get('token');
    expect(verifyUnsubscribe(inject('stack').jwtSecret, token)).toEqual({ person: author.id, scope: 'kind:comments.mention' });
    expect(mention.text).toContain(`${siteUrl}/fr/unsubscribe?token=`);

    // The reader: the reply, in English.
    const readerMails = await mailsTo(anglophone.email);
    expect(readerMails).toHaveLength(1);
    expect(readerMails[0]!.subject).toBe(`auteur ${tag} replied to your comment on “Des bancs place du marché”`);
    expect(readerMails[0]!.text).toContain('The Test City team');
    expect(readerMails[0]!.html).toContain('<html lang="en"');
    expect((readerMails[0] as unknown as { from: { name: string }[] }).from[0]!.name).toBe('Test City');
    expect(readerMails[0]!.text).toContain(`#comment-${reply}`);
  });

  it('sends each email once: a second run finds nothing to send', async () => {
    const before = (await mailsTo(author.email)).length;
    const again = await deliverAndSend();
    expect(again.sent).toBe(0);
    expect(await mailsTo(author.email)).toHaveLength(before);
    const [row] = await db<{ pending: number }[]>`select count(*) filter (where status = 'pending')::int as pending from public.notification_emails`;
    expect(row!.pending).toBe(0);
  });

  it('sends nothing to whoever chose never, or unsubscribed', async () => {
    const quiet = await person('quiet');
    await as(db, quiet.id)((tx) => tx`insert into public.notification_settings (kind, email) values ('comments.mention', 'never')`);
    await commentOn(db, author.id, { type: 'proposal', id: proposal }, `Merci @${await nicknameOf(db, quiet.id)}`);
    await deliverAndSend();
    expect(await db`select 1 from public.notifications where user_id = ${quiet.id} and kind = 'comments.mention'`).toHaveLength(1);
    expect(await mailsTo(quiet.email)).toHaveLength(0);
  });
});

describe('digests', () => {
  it('a day of events for many people: one digest each, grouped by resource, built in one pass', async () => {
    const f = await createProposalsComponent(db);
    const author = await person('digest-author');
    const people: Person[] = [];
    for (let i = 0; i < 40; i++) people.push(await person(`digest${i}`, i % 2 === 0 ? 'fr' : 'en'));
    await db`update public.profile_preferences set notifications_digest = 'daily' where id = any (${people.map((p) => p.id)}::uuid[])`;
    const [p1, p2] = [
      await createProposal(db, f, author.id, { title: 'Première proposition suivie' }),
      await createProposal(db, f, author.id, { title: 'Seconde proposition suivie' }),
    ];
    await db`insert into public.follows (resource_type, resource_id, user_id)
             select 'proposal', r, u from unnest(${[p1, p2]}::uuid[]) r, unnest(${people.map((p) => p.id)}::uuid[]) u`;
    for (const p of [p1, p2, p1]) await commentOn(db, author.id, { type: 'proposal', id: p }, 'Du nouveau sur cette proposition');
    await deliverNotificationEvents(db);
    // Nothing goes out at once for them.
    await sendNotificationEmails(db, settings(), sender);
    expect(await mailsTo(people[0]!.email)).toHaveLength(0);

    // The day is over (tomorrow, 8 o'clock in Paris): one statement builds everyone's digest.
    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
    const built = await buildDueDigests(db, tomorrow);
    expect(built.find((b) => b.frequency === 'daily')!.built).toBe(40);
    // Built again (the next hour's sweep): nothing more.
    expect((await buildDueDigests(db, tomorrow)).find((b) => b.frequency === 'daily')!.built).toBe(0);
    const sent = await sendNotificationEmails(db, settings(), sender);
    expect(sent.sent).toBe(40);

    for (const p of [people[0]!, people[1]!]) {
      const mails = await mailsTo(p.email);
      expect(mails).toHaveLength(1);
      const m = mails[0]!;
      const fr = p === people[0];
      expect(m.subject).toMatch(fr ? /^Votre résumé du .+ : 3 notifications$/ : /^Your digest for .+: 3 notifications$/);
      // Grouped by space, then by resource: one heading per proposal, newest first, its lines under it.
      const h2 = [...m.html!.matchAll(/<h2>([^<]+)/g)].map((x) => x[1]!.trim());
      expect(h2).toEqual([fr ? 'Processus' : 'Process']);
      const h3 = [...m.html!.matchAll(/<h3>([^<]+)/g)].map((x) => x[1]!.trim());
      expect(h3).toEqual(['Première proposition suivie', 'Seconde proposition suivie']);
      expect((m.html!.match(/<li>/g) ?? []).length).toBe(3);
      expect(m.text).toContain(fr ? 'Ne plus recevoir de courriels de notification' : 'Stop all notification emails');
      expect(verifyUnsubscribe(inject('stack').jwtSecret, new URL((await header(m, 'List-Unsubscribe'))!.slice(1, -1)).searchParams.get('token'))).toEqual({
        person: p.id,
        scope: 'notifications',
      });
    }
  });
});

describe('weekly digests', () => {
  it('a week of events for many people: one email each, grouped by space and resource, in their language; at most one per week', async () => {
    const [north, south] = [await createProposalsComponent(db), await createProposalsComponent(db)];
    await db`update public.spaces set title = ${db.json({ fr: 'Quartier Nord', en: 'North district' })} where id = ${north.spaceId}`;
    await db`update public.spaces set title = ${db.json({ fr: 'Quartier Sud', en: 'South district' })} where id = ${south.spaceId}`;
    const author = await person('weekly-author');
    const people: Person[] = [];
    for (let i = 0; i < 30; i++) people.push(await person(`weekly${i}`, i % 2 === 0 ? 'fr' : 'en'));
    const ids = people.map((p) => p.id);
    await db`update public.profile_preferences set notifications_digest = 'weekly' where id = any (${ids}::uuid[])`;
    const p1 = await createProposal(db, north, author.id, { title: 'Une fontaine au square' });
    const p2 = await createProposal(db, north, author.id, { title: 'Des arbres rue Haute' });
    const p3 = await createProposal(db, south, author.id, { title: 'Un abri à vélos' });
    await db`insert into public.follows (resource_type, resource_id, user_id)
             select 'proposal', r, u from unnest(${[p1, p2, p3]}::uuid[]) r, unnest(${ids}::uuid[]) u`;
    // This week in Paris: Monday 00:00, and next Monday at 8 when its digests are due.
    const [week] = await db<{ start: Date; due: Date }[]>`
      select date_trunc('week', now() at time zone 'Europe/Paris') at time zone 'Europe/Paris' as start,
             (date_trunc('week', now() at time zone 'Europe/Paris') + interval '7 days 8 hours') at time zone 'Europe/Paris' as due`;
    // One comment a day (Monday: the fountain, Tuesday: the shelter, Wednesday: the trees, Thursday: the fountain again).
    const days: [string, number][] = [[p1, 0], [p3, 1], [p2, 2], [p1, 3]];
    for (const [p, day] of days) {
      const c = await commentOn(db, author.id, { type: 'proposal', id: p }, 'Du nouveau cette semaine');
      await db`update public.notification_events set created_at = ${week!.start} + make_interval(days => ${day}, hours => 10)
               where delivered_at is null and data ->> 'comment_id' = ${c}`;
    }
    await deliverNotificationEvents(db);
    await sendNotificationEmails(db, settings(), sender);
    expect(await mailsTo(people[0]!.email)).toHaveLength(0);

    const built = await buildDueDigests(db, week!.due);
    expect(built.find((b) => b.frequency === 'weekly')).toMatchObject({ built: 30, period: expect.any(String) });
    expect((await buildDueDigests(db, week!.due)).find((b) => b.frequency === 'weekly')!.built).toBe(0);
    const sent = await sendNotificationEmails(db, settings(), sender);
    expect(sent.sent).toBeGreaterThanOrEqual(30);
    const [one] = await db<{ n: number }[]>`select count(*)::int as n from public.notification_emails where frequency = 'weekly' and user_id = any (${ids}::uuid[])`;
    expect(one!.n).toBe(30);

    for (const p of [people[0]!, people[1]!]) {
      const fr = p === people[0];
      const mails = await mailsTo(p.email);
      expect(mails).toHaveLength(1);
      const m = mails[0]!;
      expect(m.subject).toMatch(fr ? /^Votre résumé de la semaine du .+ : 4 notifications$/ : /^Your digest for the week of .+: 4 notifications$/);
      expect(m.html).toContain(fr ? '<html lang="fr"' : '<html lang="en"');
      // The newest first: the fountain's space, the fountain (Thursday, Monday), the trees; then the other space.
      const headings = [...m.html!.matchAll(/<(h2|h3)>([^<]+)/g)].map((x) => `${x[1]} ${x[2]!.trim()}`);
      expect(headings).toEqual(fr
        ? ['h2 Quartier Nord', 'h3 Une fontaine au square', 'h3 Des arbres rue Haute', 'h2 Quartier Sud', 'h3 Un abri à vélos']
        : ['h2 North district', 'h3 Une fontaine au square', 'h3 Des arbres rue Haute', 'h2 South district', 'h3 Un abri à vélos']);
      expect((m.html!.match(/<li>/g) ?? []).length).toBe(4);
      expect(m.text).toContain(fr ? '## Quartier Nord' : '## North district');
      expect(m.text).toContain(`/f/${south.componentId}/proposals/${p3}#comment-`);
    }

    // A late event of the same week (delivered after its digest went): not a second digest for
    // the week; it goes in the next one.
    const late = await commentOn(db, author.id, { type: 'proposal', id: p3 }, 'Une dernière nouvelle');
    await db`update public.notification_events set created_at = ${week!.start} + interval '4 days 10 hours' where data ->> 'comment_id' = ${late}`;
    await deliverNotificationEvents(db);
    expect((await buildDueDigests(db, week!.due)).find((b) => b.frequency === 'weekly')!.built).toBe(0);
    await sendNotificationEmails(db, settings(), sender);
    expect(await mailsTo(people[0]!.email)).toHaveLength(1);
    const nextWeek = new Date(week!.due.getTime() + 7 * 24 * 3600 * 1000);
    expect((await buildDueDigests(db, nextWeek)).find((b) => b.frequency === 'weekly')!.built).toBe(30);
    await sendNotificationEmails(db, settings(), sender);
    const after = await mailsTo(people[1]!.email);
    expect(after).toHaveLength(2);
    expect(after[1]!.subject).toMatch(/^Your digest for the week of .+: 1 notification$/);
  });
});

describe('the components’ events by email', () => {
  it('a new debate and a survey opened reach the space’s followers, each in their language, with a link to it', async () => {
    const f = await createDebatesComponent(db);
    const [fr, en, stranger] = [await person('debat-fr'), await person('debate-en', 'en'), await person('debat-x')];
    const opener = await person('debat-auteur');
    await db`insert into public.space_follows (space_id, user_id) values (${f.spaceId}, ${fr.id}), (${f.spaceId}, ${en.id})`;
    const d = await createDebate(db, f, opener.id, { title: 'Faut-il éclairer le parc la nuit ?' });
    const surveyId = randomUUID();
    await db`insert into public.components (id, space_id, feature, name, published_at)
             values (${surveyId}, ${f.spaceId}, 'surveys', ${db.json({ fr: 'Votre avis sur le parc', en: 'Your view on the park' })}, now())`;
    await deliverAndSend();
    const frMails = await mailsTo(fr.email);
    expect(frMails.map((m) => m.subject).sort()).toEqual([
      'Nouveau débat dans « Processus » : « Faut-il éclairer le parc la nuit ? »',
      'Nouveau questionnaire dans « Processus » : « Votre avis sur le parc »',
    ]);
    const enMails = await mailsTo(en.email);
    expect(enMails.map((m) => m.subject).sort()).toEqual([
      'New debate in “Process”: “Faut-il éclairer le parc la nuit ?”',
      'New survey in “Process”: “Your view on the park”',
    ]);
    const debateMail = enMails.find((m) => m.subject.startsWith('New debate'))!;
    expect(debateMail.text).toContain(`/en/processes/`);
    expect(debateMail.text).toContain(`/f/${f.componentId}/debates/${d}\n`);
    expect(enMails.find((m) => m.subject.startsWith('New survey'))!.text).toContain(`/f/${surveyId}\n`);
    expect(await mailsTo(stranger.email)).toHaveLength(0);
    expect(await mailsTo(opener.email)).toHaveLength(0);
  });
});
