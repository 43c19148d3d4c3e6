/**
 * The pg-boss job workers: every handler of `workers/<feature>/<job>.ts` is listed here, its queue
 * created, its schedule (if any) installed. `npm start` runs them in-process; in production run
 * `node workers/index.ts` in as many processes as needed (pg-boss hands each job to one of them).
 */
import postgres from 'postgres';
import { PgBoss, type SendOptions } from 'pg-boss';
import { getConfig, type Config } from '../src/lib/config.ts';
import { purgeJob } from './attachments/purge.ts';
import { rebucketJob } from './attachments/rebucket.ts';
import { announceScheduledJob } from './blog/announce-scheduled.ts';
import { announceTimesJob } from './debates/announce-times.ts';
import type { Job, WorkerSettings } from './job.ts';
import { NEWSLETTER_JOBS } from './newsletters/jobs.ts';
import { NOTIFICATION_JOBS } from './notifications/jobs.ts';
import { activatePhasesJob } from './spaces/activate-phases.ts';
import { remindJob } from './budgets/remind.ts';
import { tallyJob } from './budgets/tally.ts';

export const JOBS: readonly Job[] = [activatePhasesJob, ...NOTIFICATION_JOBS, announceScheduledJob, ...NEWSLETTER_JOBS, purgeJob, rebucketJob, tallyJob, remindJob, announceTimesJob];

export interface Workers {
  /** The pg-boss instance, for sending jobs from the same process (and tests). */
  boss: PgBoss;
  stop(): Promise<void>;
}

export interface WorkersOptions {
  log?: (line: string) => void;
  /** The jobs to run; all of them by default. */
  jobs?: readonly Job[];
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object' && 'message' in err) return String(err.message);
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

/**
 * Starts pg-boss on the app's database (it keeps its tables in its own `pgboss` schema, which
 * the API roles cannot reach), creates the queues, starts a worker per queue and installs the
 * schedules. `stop()` lets running jobs finish (10 s at most) and closes the connections.
 */
export async function startWorkers(config: Pick<Config, 'databaseUrl'> & WorkerSettings, opts: WorkersOptions = {}): Promise<Workers> {
  const log = opts.log ?? (() => {});
  const jobs = opts.jobs ?? JOBS;
  const db = postgres(config.databaseUrl, {
    max: 4,
    prepare: false,
    onnotice: () => {},
    connection: { application_name: 'decidons-workers' },
  });
  // LISTEN/NOTIFY wakes a worker as soon as a job of a `notify` queue is created (a reply's
  // notification reaches the bell in a moment, not at the next poll); polling stays as the floor.
  const boss = new PgBoss({ connectionString: config.databaseUrl, application_name: 'decidons-pgboss', max: 4, useListenNotify: true });
  const settings: WorkerSettings = {
    ...(config.siteUrl ? { siteUrl: config.siteUrl } : {}),
    ...(config.smtpUrl ? { smtpUrl: config.smtpUrl } : {}),
    ...(config.smtpSender ? { smtpSender: config.smtpSender } : {}),
    ...(config.jwtSecret ? { jwtSecret: config.jwtSecret } : {}),
  };
  const send = (queue: string, data?: object | null, options?: SendOptions) => boss.send(queue, data ?? null, options ?? {});
  const listeners: { unlisten: () => Promise<void> }[] = [];
  let stopping = false;
  // Once stopping, connection errors are expected (on Ctrl-C the terminal signals the database
  // too): a job cut short rolls back and runs again on the next start.
  boss.on('error', (err) => {
    if (!stopping) log(`pg-boss: ${errorText(err)}`);
  });
  boss.on('warning', (w) => {
    if (!stopping) log(`pg-boss warning: ${w.message}`);
  });
  // Our sessions, on the server's clock: the ones `stop()` waits for (other processes' are not ours).
  let startedAt = new Date(0);
  try {
    startedAt = (await db<{ now: Date }[]>`select now() as now`)[0]!.now;
    await boss.start();
    for (const job of jobs) {
      await boss.createQueue(job.queue, { notify: true, ...job.queueOptions });
      // A full batch means more is waiting: fetch again at once rather than at the next poll.
      const work = job.work?.batchSize && job.work.batchSize > 1 ? { burstWhenBatchFull: true, ...job.work } : { ...job.work };
      await boss.work<unknown>(job.queue, work, async (batch) => {
        for (const j of batch) {
          try {
            await job.handle(j.data, { db, log: (l) => log(`${job.queue}: ${l}`), send, settings });
          } catch (err) {
            log(`${job.queue}: job ${j.id} failed: ${errorText(err)}`);
            throw err;
          }
        }
      });
      if (job.schedule) await boss.schedule(job.queue, job.schedule.cron, null, { tz: job.schedule.tz ?? 'UTC' });
      if (job.trigger) listeners.push(await listenFor(config.databaseUrl, job, send, log));
    }
    for (const job of jobs) if (job.runAtStart) await boss.send(job.queue, {});
  } catch (err) {
    for (const l of listeners) await l.unlisten().catch(() => {});
    await boss.stop({ graceful: false }).catch(() => {});
    await db.end({ timeout: 5 });
    throw err;
  }
  log(`workers ready: ${jobs.map((j) => j.queue).join(', ')}`);
  return {
    boss,
    async stop() {
      stopping = true;
      for (const l of listeners) await l.unlisten().catch(() => {});
      await boss.stop({ graceful: true, timeout: 10_000 });
      await db.end({ timeout: 5 });
      await sessionsGone(config.databaseUrl, startedAt);
    },
  };
}

/**
 * Waits (5 s at most) until the server has ended the workers' sessions: a client closes its side
 * at once, the server's backends exit a moment later, and whoever stops the workers (a restart,
 * a test counting connections) should find them gone.
 */
async function sessionsGone(databaseUrl: string, since: Date): Promise<void> {
  const probe = postgres(databaseUrl, { max: 1, prepare: false, onnotice: () => {}, connection: { application_name: 'decidons-workers-stop' } });
  try {
    for (const deadline = Date.now() + 5_000; Date.now() < deadline; ) {
      const [row] = await probe<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and application_name in ('decidons-workers', 'decidons-pgboss')
          and backend_start >= ${since}::timestamptz - interval '2 seconds'`;
      if ((row?.n ?? 0) === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch {
    // The database itself is going away (Ctrl-C reaches it too): nothing to wait for.
  } finally {
    await probe.end({ timeout: 1 }).catch(() => {});
  }
}

/**
 * Queues a job for what a channel says: payloads heard within 10 ms go as one job, so a burst of
 * events (a bulk answer, a seed) makes a few jobs, not one each. A payload heard while no worker
 * listened is picked up by the job's own sweep (the events stay pending in the database).
 */
async function listenFor(databaseUrl: string, job: Job, send: (queue: string, data?: object | null) => Promise<string | null>, log: (line: string) => void) {
  const trigger = job.trigger!;
  // A connection of its own, ended gracefully on stop (a LISTEN holds its session).
  const listener = postgres(databaseUrl, { max: 1, prepare: false, onnotice: () => {}, connection: { application_name: 'decidons-workers' } });
  let heard: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const batch = heard;
    heard = [];
    void send(job.queue, trigger.payload(batch) as object).catch((err: unknown) => log(`${job.queue}: could not queue: ${errorText(err)}`));
  };
  try {
    await listener.listen(trigger.channel, (payload) => {
      heard.push(payload);
      if (heard.length >= 500) {
        clearTimeout(timer);
        flush();
      } else {
        timer ??= setTimeout(flush, 10);
      }
    });
  } catch (err) {
    await listener.end({ timeout: 5 });
    throw err;
  }
  return {
    async unlisten() {
      clearTimeout(timer);
      await listener.end({ timeout: 5 });
    },
  };
}

// `node workers/index.ts`: the workers alone, until SIGINT/SIGTERM.
if (import.meta.main) {
  const workers = await startWorkers(getConfig(), { log: (l) => console.log(l) });
  const shutdown = () => {
    void workers.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
