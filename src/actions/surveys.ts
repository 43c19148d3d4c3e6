import { defineAction } from 'astro:actions';
import { z } from 'zod';
import { answerForm } from '@/features/forms/answer-form.server.ts';
import { fieldValues } from '@/features/forms/forms.ts';
import { ensureVisitorToken } from '@/features/forms/visitor-token.ts';
import { getSurvey } from '@/features/surveys/queries.server.ts';
import { updateSurveyInput } from '@/features/surveys/surveys.ts';
import { updateSurvey } from '@/features/surveys/update-survey.server.ts';
import { uuidInput } from '@/lib/forms/fields.ts';
import { failure, notOk } from '@/lib/forms/index.ts';
import { unwrap } from './unwrap.ts';

/** The fields every page of the participant form posts besides its answers (`q-<question>…`). */
const answerMeta = z.object({
  component_id: uuidInput,
  page: z.coerce.number().int().min(1).max(1000).catch(1),
  intent: z.enum(['next', 'back', 'submit']).catch('next'),
  terms_accepted: z.literal('yes').optional(),
});

/** Actions of the surveys feature: answering a page of the survey, and the survey's dates. */
export const surveys = {
  /**
   * A page of the participant form (with or without JavaScript). The answers' fields depend on
   * the questions, so the form arrives whole; the use case reads them against the questionnaire.
   */
  answer: defineAction({
    accept: 'form',
    handler: async (form: FormData, c) => {
      const meta = answerMeta.safeParse(Object.fromEntries([...form.entries()].filter(([k]) => !k.startsWith('q-'))));
      if (!meta.success) return unwrap(notOk(failure(400, 'error.bad_request')));
      const survey = await getSurvey(c.locals.claims, meta.data.component_id);
      if (!survey) return unwrap(notOk(failure(404, 'error.not_found')));
      const result = await answerForm(c.locals.claims, {
        questionnaireId: survey.questionnaireId,
        page: meta.data.page,
        intent: meta.data.intent,
        fields: fieldValues(form),
        visitorToken: c.locals.claims ? null : ensureVisitorToken(c.cookies, c.url),
        termsAccepted: meta.data.terms_accepted === 'yes',
        locale: c.locals.locale,
        clientAddress: c.clientAddress,
      });
      return unwrap(result);
    },
  }),
  updateSurvey: defineAction({ accept: 'form', input: updateSurveyInput, handler: async (i, c) => unwrap(await updateSurvey(c.locals.claims, i)) }),
};
