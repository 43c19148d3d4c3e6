import type { Queue, SendOptions, WorkOptions } from 'pg-boss';
import type { ZodType } from 'zod';
import type { Config } from '../src/lib/config.ts';
import type { Sql } from '../src/lib/db/index.ts';

/** The settings jobs may need beyond the database (emails: where to send, links, signing). */
export type WorkerSettings = Partial<Pick<Config, 'siteUrl' | 'smtpUrl' | 'smtpSender' | 'jwtSecret'>>;

/** What a handler gets besides its payload. */
export interface JobContext {
  /** The workers' own pool; handlers choose how to use it (`asServiceRole` for system work). */
  db: Sql;
  log: (line: string) => void;
  /** Queues another job (a handler that hands work on: delivering events queues their emails). */
  send?: ((queue: string, data?: object | null, options?: SendOptions) => Promise<string | null>) | undefined;
  settings?: WorkerSettings | undefined;
}

/**
 * A job started by a Postgres NOTIFY (sent when the transaction that raised it commits): the
 * workers listen on `channel` and queue one job for the payloads heard within a few milliseconds.
 */
export interface ChannelTrigger<P> {
  channel: string;
  payload: (heard: string[]) => P;
}

/**
 * One pg-boss job: its queue (`<feature>.<job>`), the zod schema its payload must match, and the
 * handler. Handlers are idempotent and do their work in one transaction, so a crash or a retry
 * never leaves half a job done.
 */
export interface JobDefinition<P> {
  queue: string;
  payload: ZodType<P>;
  run: (payload: P, ctx: JobContext) => Promise<unknown>;
  /** Retry, expiry, retention and policy of the queue (created if missing, on every start). */
  queueOptions?: Omit<Queue, 'name'>;
  /** A recurring job: a cron expression, in `tz` (default UTC). */
  schedule?: { cron: string; tz?: string };
  /** How the workers fetch it (batch size, polling, concurrency); pg-boss's defaults otherwise. */
  work?: Pick<WorkOptions, 'batchSize' | 'pollingIntervalSeconds' | 'localConcurrency' | 'burstWhenBatchFull'>;
  trigger?: ChannelTrigger<P>;
  /** Also run once when the workers start (catching up after a restart without waiting for the schedule). */
  runAtStart?: boolean;
}

/** A job as the worker runs it: raw job data in, parsed against the schema before the handler sees it. */
export interface Job {
  queue: string;
  queueOptions?: Omit<Queue, 'name'>;
  schedule?: { cron: string; tz?: string };
  work?: Pick<WorkOptions, 'batchSize' | 'pollingIntervalSeconds' | 'localConcurrency' | 'burstWhenBatchFull'>;
  trigger?: ChannelTrigger<unknown>;
  runAtStart?: boolean;
  handle: (data: unknown, ctx: JobContext) => Promise<unknown>;
}

export class InvalidPayloadError extends Error {
  constructor(queue: string, issues: string) {
    super(`${queue}: invalid payload: ${issues}`);
    this.name = 'InvalidPayloadError';
  }
}

export function defineJob<P>(def: JobDefinition<P>): Job {
  return {
    queue: def.queue,
    ...(def.queueOptions ? { queueOptions: def.queueOptions } : {}),
    ...(def.schedule ? { schedule: def.schedule } : {}),
    ...(def.work ? { work: def.work } : {}),
    ...(def.trigger ? { trigger: def.trigger as ChannelTrigger<unknown> } : {}),
    ...(def.runAtStart ? { runAtStart: true } : {}),
    async handle(data, ctx) {
      const parsed = def.payload.safeParse(data ?? undefined);
      if (!parsed.success) {
        throw new InvalidPayloadError(def.queue, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
      }
      return def.run(parsed.data, ctx);
    },
  };
}
