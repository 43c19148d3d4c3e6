import type { Job } from '../job.ts';
import { deliverJob } from './deliver.ts';
import { purgeJob } from './purge.ts';
import { sendEmailsJob } from './send-emails.ts';
import { sweepJob } from './sweep.ts';

/** The notifications' jobs: delivering events, sending their emails, the minute's sweep and digests, the nightly purge. */
export const NOTIFICATION_JOBS: readonly Job[] = [deliverJob, sendEmailsJob, sweepJob, purgeJob];
