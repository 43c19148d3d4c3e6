/**
 * The pg-boss job workers: every handler of `workers/<feature>/<job>.ts` is listed here, its queue
 * created, its schedule (if any) installed. `npm start` runs them in-process; in production run
 * `node workers/index.ts` in as many processes as needed (pg-boss hands each job to one of them).
 */
import postgres from 'postgres';
import { PgBoss } from 'pg-boss';
import { getConfig, type Config } from '../src/lib/config.ts';
import type { Job } from './job.ts';
import { purgeJob } from './attachments/purge.ts';
import { rebucketJob } from './attachments/rebucket.ts';
import { activatePhasesJob } from './spaces/activate-phases.ts';

export const JOBS: readonly Job[] = [activatePhasesJob, purgeJob, rebucketJob];

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
export async function startWorkers(config: Pick<Config, 'databaseUrl'>, opts: WorkersOptions = {}): Promise<Workers> {
  const log = opts.log ?? (() => {});
  const jobs = opts.jobs ?? JOBS;
  const db = postgres(config.databaseUrl, {
    max: 4,
    prepare: false,
    onnotice: () => {},
    connection: { application_name: 'decidons-workers' },
  });
  const boss = new PgBoss({ connectionString: config.databaseUrl, application_name: 'decidons-pgboss', max: 4 });
  let stopping = false;
  // Once stopping, connection errors are expected (on Ctrl-C the terminal signals the database
  // too): a job cut short rolls back and runs again on the next start.
  boss.on('error', (err) => {
    if (!stopping) log(`pg-boss: ${errorText(err)}`);
  });
  boss.on('warning', (w) => {
    if (!stopping) log(`pg-boss warning: ${w.message}`);
  });
  try {
    await boss.start();
    for (const job of jobs) {
      await boss.createQueue(job.queue, job.queueOptions);
      await boss.work<unknown>(job.queue, async (batch) => {
        for (const j of batch) {
          try {
            await job.handle(j.data, { db, log: (l) => log(`${job.queue}: ${l}`) });
          } catch (err) {
            log(`${job.queue}: job ${j.id} failed: ${errorText(err)}`);
            throw err;
          }
        }
      });
      if (job.schedule) await boss.schedule(job.queue, job.schedule.cron, null, { tz: job.schedule.tz ?? 'UTC' });
    }
  } catch (err) {
    await boss.stop({ graceful: false }).catch(() => {});
    await db.end({ timeout: 5 });
    throw err;
  }
  log(`workers ready: ${jobs.map((j) => j.queue).join(', ')}`);
  return {
    boss,
    async stop() {
      stopping = true;
      await boss.stop({ graceful: true, timeout: 10_000 });
      await db.end({ timeout: 5 });
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
