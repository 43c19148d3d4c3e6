import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../supabase/local/migrate.ts';
import { deliverNotificationEvents } from '../../workers/notifications/deliver.ts';
import { purgeNotifications } from '../../workers/notifications/purge.ts';
import { createUser } from '../db/fixtures.ts';
import { connectTestDb, createScratchDatabase, databaseUrlFor, dropScratchDatabase } from '../helpers/db.ts';
import { createProposal, createProposalsComponent } from '../proposals/fixtures.ts';
import { commentOn } from './fixtures.ts';

/*
 * Retention (the nightly `notifications.purge`): delivered events after a month, notifications
 * read three months ago, finished emails' outbox rows after a month; never an event still to
 * deliver, an unread notification, a pending email. In bounded batches. In a database of its own:
 * the purge acts on the whole database (the seed's history and other files' rows).
 */

let admin: postgres.Sql;
let db: postgres.Sql;
let dbName: string;

beforeAll(async () => {
  admin = connectTestDb();
  dbName = await createScratchDatabase(admin, 'notify_purge');
  await migrate({ databaseUrl: databaseUrlFor(dbName), local: true, seed: false });
  db = postgres(databaseUrlFor(dbName), { max: 4, onnotice: () => {} });
  await db`insert into public.organization (name, time_zone) values (${db.json({ fr: 'Ville' })}, 'Europe/Paris')`;
}, 60_000);

afterAll(async () => {
  await db?.end();
  await dropScratchDatabase(admin, dbName);
  await admin.end();
});

const counts = async () =>
  (await db<{ events: number; pending: number; notifications: number; unread: number; emails: number; pending_emails: number }[]>`
    select (select count(*)::int from public.notification_events) as events,
           (select count(*)::int from public.notification_events where delivered_at is null) as pending,
           (select count(*)::int from public.notifications) as notifications,
           (select count(*)::int from public.notifications where read_at is null) as unread,
           (select count(*)::int from public.notification_emails) as emails,
           (select count(*)::int from public.notification_emails where status = 'pending') as pending_emails`)[0]!;

describe('notifications.purge', () => {
  it('deletes old delivered events, old read notifications and old finished emails, batch by batch; keeps everything else', async () => {
    const f = await createProposalsComponent(db);
    const author = await createUser(db, 'purge-author');
    const readers = await Promise.all(Array.from({ length: 5 }, (_, i) => createUser(db, `purge-reader${i}`)));
    const p = await createProposal(db, f, author);
    await db`insert into public.follows (resource_type, resource_id, user_id) select 'proposal', ${p}, unnest(${readers}::uuid[])`;
    for (let i = 0; i < 6; i++) await commentOn(db, author, { type: 'proposal', id: p }, `Nouvelle ${i}`);
    await deliverNotificationEvents(db);
    // One more event, raised and never delivered (no worker ran): it must stay.
    await commentOn(db, author, { type: 'proposal', id: p }, 'Pas encore livrée');

    // Six weeks ago: the events were delivered, and the emails sent (one still pending).
    await db`update public.notification_events set delivered_at = now() - interval '42 days', created_at = now() - interval '42 days' where delivered_at is not null`;
    await db`update public.notification_emails set status = 'sent', sent_at = now() - interval '42 days'
             where id <> (select min(id) from public.notification_emails)`;
    // Readers 0-2 read everything four months ago, reader 3 last week, reader 4 never.
    await db`update public.notifications set read_at = now() - interval '120 days' where user_id = any (${readers.slice(0, 3)}::uuid[])`;
    await db`update public.notifications set read_at = now() - interval '7 days' where user_id = ${readers[3]!}`;
    const before = await counts();
    expect(before.pending).toBe(1);
    expect(before.emails).toBeGreaterThan(8);

    const r = await purgeNotifications(db, { batch: 4 });
    const after = await counts();
    // Every delivered event (six comments and the proposal's own), the one still to deliver kept.
    expect(r.events).toBe(before.events - 1);
    expect(after).toMatchObject({ events: 1, pending: 1, pending_emails: 1, emails: 1 });
    // Read four months ago: gone; read last week and unread: kept.
    expect(r.notifications).toBe(18);
    expect(after.notifications).toBe(before.notifications - 18);
    expect(after.unread).toBe(before.unread);
    const kept = await db<{ user_id: string }[]>`select distinct user_id from public.notifications where user_id = any (${readers}::uuid[]) order by user_id`;
    expect(kept.map((k) => k.user_id)).toEqual([readers[3]!, readers[4]!].sort());
    expect(r.emails).toBe(before.emails - 1);
    // In bounded batches of four rows of each table, until one finds less than four of each.
    expect(r.batches).toBe(Math.floor(Math.max(r.events, r.notifications, r.emails) / 4) + 1);
    expect(r.batches).toBeGreaterThan(2);

    // Nothing more to do.
    expect(await purgeNotifications(db, { batch: 4 })).toEqual({ events: 0, notifications: 0, emails: 0, batches: 1 });
  });
});
