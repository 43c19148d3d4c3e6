import { defineAction } from 'astro:actions';
import { z } from 'zod';
import { answerNewsletter } from '@/features/newsletters/consent.server.ts';
import { letterIdInput } from '@/features/newsletters/newsletters.ts';
import { deleteNewsletter, saveNewsletter, scheduleNewsletter, unscheduleNewsletter } from '@/features/newsletters/save-newsletter.server.ts';
import { testSendNewsletter } from '@/features/newsletters/test-send.server.ts';
import { confirmed } from '@/lib/forms/confirm.ts';
import { unwrap } from './unwrap.ts';

/**
 * Actions of the newsletters. The composing form has numbered blocks whose fields depend on
 * their type: it arrives as FormData and the use case parses it (no fixed schema fits it).
 */
export const newsletters = {
  save: defineAction({ accept: 'form', handler: async (form, c) => unwrap(await saveNewsletter(c.locals.claims, form)) }),
  schedule: defineAction({
    accept: 'form',
    input: confirmed(letterIdInput.extend({ scheduled_at: z.string().trim().max(20).nullish() })),
    handler: async (i, c) => unwrap(await scheduleNewsletter(c.locals.claims, i.newsletter_id, i.scheduled_at || null)),
  }),
  unschedule: defineAction({ accept: 'form', input: letterIdInput, handler: async (i, c) => unwrap(await unscheduleNewsletter(c.locals.claims, i.newsletter_id)) }),
  delete: defineAction({ accept: 'form', input: confirmed(letterIdInput), handler: async (i, c) => unwrap(await deleteNewsletter(c.locals.claims, i.newsletter_id)) }),
  testSend: defineAction({
    accept: 'form',
    input: letterIdInput,
    handler: async (i, c) => unwrap(await testSendNewsletter(c.locals.claims, i.newsletter_id, c.locals.user?.email)),
  }),
  answer: defineAction({
    accept: 'form',
    input: z.object({ answer: z.enum(['yes', 'no'], { message: 'validation.invalid_choice' }) }),
    handler: async (i, c) => unwrap(await answerNewsletter(c.locals.claims, i.answer === 'yes')),
  }),
};
