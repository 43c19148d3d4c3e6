/**
 * Notifications and newsletters figures for `npm run bench`, each next to its ceiling:
 * (a) pg-boss jobs per second through the app's own worker setup (workers/index.ts: queues,
 *     LISTEN/NOTIFY, batches), for jobs that do nothing, next to how fast they are queued;
 * (b) a 50,000-recipient newsletter, written, addressed and sent exactly once (workers/mail/outbox.ts)
 *     into an SMTP server that discards what it gets (smtp-server), next to a bare nodemailer loop
 *     into the same sink with the same connections and the same bytes: the ceiling;
 * (c) a day of events for 10,000 people who chose the daily digest: delivering one event to all
 *     of them (in-app rows, their emails decided), then building everyone's digest in one statement;
 * (d) retention: those notifications read long ago and their events delivered long ago, purged by
 *     the nightly job in bounded batches (workers/notifications/purge.ts), next to the same rows
 *     deleted by one unbounded statement each: the ceiling (and what the batches avoid).
 */
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type postgres from 'postgres';
import { SMTPServer } from 'smtp-server';
import { z } from 'zod';
import type { Config } from '../src/lib/config.ts';
import { SmtpBatchSender } from '../src/lib/mail/smtp-batch.ts';
import { startWorkers } from '../workers/index.ts';
import { defineJob } from '../workers/job.ts';
import { startDueNewsletters, sendNewsletter } from '../workers/newsletters/send.ts';
import { purgeNotifications } from '../workers/notifications/purge.ts';
import { buildDueDigests } from '../workers/notifications/sweep.ts';

const JOBS = Number(process.env.BENCH_JOBS ?? 20_000);
const RECIPIENTS = Number(process.env.BENCH_NEWSLETTER_RECIPIENTS ?? 50_000);
const DIGEST_PEOPLE = Number(process.env.BENCH_DIGEST_PEOPLE ?? 10_000);
const CONNECTIONS = 16;

const rate = (n: number, ms: number) => (n / (ms / 1000)).toFixed(0);
const seconds = (ms: number) => (ms / 1000).toFixed(2);

/** An SMTP server that takes every message and keeps nothing (the bench's sink). */
async function discardingSink(): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    maxClients: 200,
    onData(stream, _session, callback) {
      stream.on('end', () => {
        received++;
        callback();
      });
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `smtp://127.0.0.1:${port}`, received: () => received, close: () => new Promise((r) => server.close(() => r())) };
}

async function createConsentingPeople(sql: postgres.Sql, n: number, label: string, meta: Record<string, unknown>): Promise<void> {
  // In chunks: each row goes through the profile trigger, as a sign-up does.
  for (let from = 1; from <= n; from += 10_000) {
    const to = Math.min(n, from + 9_999);
    await sql`insert into auth.users (id, aud, role, email, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
              select gen_random_uuid(), 'authenticated', 'authenticated', ${label} || '-' || i || '@bench.example.org',
                     ${sql.json(meta as postgres.JSONValue)} || jsonb_build_object('name', 'Bench ' || i, 'locale', case when i % 3 = 0 then 'en' else 'fr' end),
                     '{}', now(), now()
              from generate_series(${from}::int, ${to}::int) i`;
  }
}

export async function benchNotifications(config: Config, sql: postgres.Sql): Promise<void> {
  // (a) pg-boss jobs per second ---------------------------------------------------------------
  console.log(`\nJobs: ${JOBS} pg-boss jobs that do nothing, through the app's worker setup (batches of 100)`);
  let done = 0;
  let finished: () => void = () => {};
  const allDone = new Promise<void>((r) => (finished = r));
  const noop = defineJob({
    queue: 'bench.noop',
    payload: z.object({ n: z.number() }),
    work: { batchSize: 100, localConcurrency: 2, pollingIntervalSeconds: 0.5 },
    queueOptions: { retryLimit: 0, deleteAfterSeconds: 60 },
    async run() {
      if (++done === JOBS) finished();
    },
  });
  const workers = await startWorkers({ databaseUrl: config.databaseUrl }, { jobs: [noop] });
  try {
    const queued0 = performance.now();
    for (let i = 0; i < JOBS; i += 1000) {
      await workers.boss.insert('bench.noop', Array.from({ length: Math.min(1000, JOBS - i) }, (_, k) => ({ data: { n: i + k } })));
    }
    const queuedMs = performance.now() - queued0;
    await allDone;
    const totalMs = performance.now() - queued0;
    console.log(`${'queued (boss.insert, 1,000 a call)'.padEnd(44)} ${rate(JOBS, queuedMs).padStart(8)}/s`);
    console.log(`${'queued and run (workers, 2 × 100 a fetch)'.padEnd(44)} ${rate(JOBS, totalMs).padStart(8)}/s   (${seconds(totalMs)} s for ${JOBS})`);
  } finally {
    await workers.stop();
  }

  // (b) A 50,000-recipient newsletter -------------------------------------------------------------
  console.log(`\nNewsletter: ${RECIPIENTS} consenting recipients, ${CONNECTIONS} SMTP connections, into a sink that discards`);
  const sink = await discardingSink();
  const settings = { siteUrl: config.siteUrl, sender: 'noreply@bench.example.org', secret: config.jwtSecret };
  try {
    const t0 = performance.now();
    await createConsentingPeople(sql, RECIPIENTS, 'letter', { newsletter: true });
    console.log(`  (${RECIPIENTS} accounts created in ${seconds(performance.now() - t0)} s)`);
    const [letter] = await sql<{ id: string }[]>`
      insert into public.newsletters (subject, blocks, audience, status, scheduled_at)
      values ('{"fr": "Lettre du banc d’essai", "en": "Bench letter"}',
              ${sql.json([{ type: 'text', html: { fr: `<p>${'Bonjour à toutes et à tous. '.repeat(40)}</p>`, en: `<p>${'Hello everyone. '.repeat(40)}</p>` } }])},
              '{"scope": "all"}', 'scheduled', now())
      returning id`;
    const s0 = performance.now();
    await startDueNewsletters(sql);
    const startMs = performance.now() - s0;
    const [row] = await sql<{ n: number }[]>`select recipients_count as n from public.newsletters where id = ${letter!.id}`;
    console.log(`${'recipients written (one statement)'.padEnd(44)} ${String(row!.n).padStart(8)}     in ${seconds(startMs)} s`);
    const sender = new SmtpBatchSender(sink.url, { connections: CONNECTIONS });
    const before = sink.received();
    const m0 = performance.now();
    const r = await sendNewsletter(sql, letter!.id, settings, sender);
    const ourMs = performance.now() - m0;
    await sender.close();
    const ours = Number(rate(r.sent, ourMs));
    console.log(`${'sent exactly once (render, address, outbox)'.padEnd(44)} ${String(ours).padStart(8)}/s   (${r.sent} in ${seconds(ourMs)} s, sink got ${sink.received() - before})`);

    // The ceiling: the same sink, the same connections, the same bytes, nothing else.
    const sample = Math.min(RECIPIENTS, 50_000);
    const raw = Buffer.from(
      `From: bench@example.org\r\nTo: someone@example.org\r\nSubject: Bench\r\nContent-Type: text/plain\r\n\r\n${'x'.repeat(12_000)}\r\n`,
    );
    const transport = nodemailer.createTransport({ url: sink.url, pool: true, maxConnections: CONNECTIONS, maxMessages: Infinity, ignoreTLS: true } as never);
    let next = 0;
    const c0 = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (next < sample) {
          const i = next++;
          await transport.sendMail({ envelope: { from: 'bench@example.org', to: `r${i}@bench.example.org` }, raw });
        }
      }),
    );
    const bareMs = performance.now() - c0;
    transport.close();
    const bare = Number(rate(sample, bareMs));
    console.log(`${'bare nodemailer pool loop (the ceiling)'.padEnd(44)} ${String(bare).padStart(8)}/s   (${sample} in ${seconds(bareMs)} s)`);
    console.log(`  ratio newsletter / bare nodemailer: ${(ours / bare).toFixed(2)}`);
  } finally {
    await sink.close();
  }

  // (c) A daily digest for 10,000 people ----------------------------------------------------------
  console.log(`\nDigest: ${DIGEST_PEOPLE} people who chose the daily digest, 3 events each (they follow the resource)`);
  const label = `digest${createHash('sha1').update(String(Date.now())).digest('hex').slice(0, 6)}`;
  await createConsentingPeople(sql, DIGEST_PEOPLE, label, {});
  const people = (await sql<{ id: string }[]>`select id from auth.users where email like ${`${label}-%`}`).map((r) => r.id);
  await sql`update public.profile_preferences set notifications_digest = 'daily' where id = any (${people}::uuid[])`;
  const [space] = await sql<{ id: string }[]>`insert into public.spaces (kind, slug, title, published_at) values ('process', ${label}, '{"fr": "Banc"}', now()) returning id`;
  const [component] = await sql<{ id: string }[]>`
    insert into public.components (space_id, feature, name, published_at, settings)
    values (${space!.id}, 'blog', '{"fr": "Actualités"}', now(), '{"comments_enabled": true}') returning id`;
  const [post] = await sql<{ id: string }[]>`
    insert into public.blog_posts (component_id, title, body) values (${component!.id}, '{"fr": "Une actualité suivie"}', '{"fr": "<p>Texte</p>"}') returning id`;
  await sql`insert into public.follows (resource_type, resource_id, user_id) select 'blog_post', ${post!.id}, unnest(${people}::uuid[])`;
  const [author] = people;
  let deliverMs = 0;
  for (let i = 0; i < 3; i++) {
    await sql.begin(async (tx) => {
      await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify({ role: 'authenticated', sub: author })}, true)`;
      await tx`insert into public.comments (resource_type, resource_id, body) values ('blog_post', ${post!.id}, ${`Commentaire ${i}`})`;
    });
    const ids = await sql<{ id: string }[]>`select id from public.notification_events where resource_id = ${post!.id} and delivered_at is null`;
    const d0 = performance.now();
    for (const { id } of ids) await sql`select private.deliver_notification_event(${id})`;
    deliverMs += performance.now() - d0;
  }
  const [told] = await sql<{ n: number }[]>`select count(*)::int as n from public.notifications where resource_id = ${post!.id} and email = 'daily'`;
  console.log(`${'one event to its followers (in-app, emails)'.padEnd(44)} ${rate(told!.n, deliverMs).padStart(8)}/s   (${told!.n} notifications in ${seconds(deliverMs)} s, 3 events)`);
  const g0 = performance.now();
  const built = await buildDueDigests(sql, new Date(Date.now() + 24 * 3600 * 1000));
  const digestMs = performance.now() - g0;
  const daily = built.find((b) => b.frequency === 'daily')?.built ?? 0;
  console.log(`${'daily digests built (one statement)'.padEnd(44)} ${String(daily).padStart(8)}     in ${seconds(digestMs)} s (${rate(daily, digestMs)}/s)`);

  // (d) Retention --------------------------------------------------------------------------------
  console.log(`\nRetention: the ${told!.n} notifications read 100 days ago, their events delivered 40 days ago`);
  const age = async () => {
    await sql`update public.notifications set read_at = now() - interval '100 days' where resource_id = ${post!.id}`;
    await sql`update public.notification_events set delivered_at = now() - interval '40 days' where resource_id = ${post!.id}`;
  };
  await age();
  const p0 = performance.now();
  const purged = await purgeNotifications(sql);
  const purgeMs = performance.now() - p0;
  console.log(`${'purged in batches of 5,000 (the nightly job)'.padEnd(44)} ${rate(purged.notifications, purgeMs).padStart(8)}/s   (${purged.notifications} notifications, ${purged.events} events, ${purged.emails} emails, ${purged.batches} batches, ${seconds(purgeMs)} s)`);
  // The same rows again (the same three events delivered anew), deleted by one statement each.
  for (let i = 0; i < 3; i++) {
    await sql.begin(async (tx) => {
      await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify({ role: 'authenticated', sub: author })}, true)`;
      await tx`insert into public.comments (resource_type, resource_id, body) values ('blog_post', ${post!.id}, ${`Commentaire ${i} bis`})`;
    });
    const ids = await sql<{ id: string }[]>`select id from public.notification_events where resource_id = ${post!.id} and delivered_at is null`;
    for (const { id } of ids) await sql`select private.deliver_notification_event(${id})`;
  }
  await age();
  const u0 = performance.now();
  const gone = await sql.begin(async (tx) => {
    const n = await tx`delete from public.notifications where read_at < now() - interval '90 days'`;
    await tx`delete from public.notification_events where delivered_at < now() - interval '30 days'`;
    return n.count;
  });
  const unboundedMs = performance.now() - u0;
  console.log(`${'the same, one unbounded statement (ceiling)'.padEnd(44)} ${rate(gone, unboundedMs).padStart(8)}/s   (${gone} notifications, ${seconds(unboundedMs)} s) — ratio ${(purged.notifications / purgeMs / (gone / unboundedMs)).toFixed(2)}`);
}
