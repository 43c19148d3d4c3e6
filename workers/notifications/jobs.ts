import type { Job } from '../job.ts';
import { deliverJob } from './deliver.ts';
import { sendEmailsJob } from './send-emails.ts';
import { sweepJob } from './sweep.ts';

/** The notifications' jobs: delivering events, sending their emails, the minute's sweep and digests. */
export const NOTIFICATION_JOBS: readonly Job[] = [deliverJob, sendEmailsJob, sweepJob];
