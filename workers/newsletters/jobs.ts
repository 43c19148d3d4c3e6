import type { Job } from '../job.ts';
import { dispatchJob, sendNewsletterJob } from './send.ts';

/** The newsletters' jobs: starting due letters, sending them in batches. */
export const NEWSLETTER_JOBS: readonly Job[] = [dispatchJob, sendNewsletterJob];
