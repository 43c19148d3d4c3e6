import { z } from 'zod';
import { uuidInput } from '../../lib/forms/fields.ts';

/** Types, input schemas and pure rules of surveys: no server imports. */

/** A survey: its component, its answering window, its questionnaire (the forms library's). */
export interface Survey {
  componentId: string;
  questionnaireId: string;
  startsAt: Date | null;
  endsAt: Date | null;
}

/** The owner type a survey's questionnaire is registered under (public.form_owner_types). */
export const SURVEY_OWNER = 'survey';

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** An `<input type="datetime-local">` value (in the organization's time zone), or null when empty. */
export const localDateTimeInput = z
  .string()
  .trim()
  .nullish()
  .refine((v) => !v || (LOCAL_DATE_TIME.test(v) && !Number.isNaN(new Date(`${v}:00Z`).getTime())), { message: 'validation.date' })
  .transform((v) => (v ? v : null));

export const updateSurveyInput = z
  .object({
    component_id: uuidInput,
    starts_at: localDateTimeInput,
    ends_at: localDateTimeInput,
  })
  .refine((v) => !v.starts_at || !v.ends_at || v.ends_at > v.starts_at, { message: 'surveys.error.dates', path: ['ends_at'] });
export type UpdateSurveyInput = z.infer<typeof updateSurveyInput>;

/** An instant as a `datetime-local` value in a time zone (what the admin typed, read back). */
export function toLocalInput(value: Date | null, timeZone: string): string {
  if (!value) return '';
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(value);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/** Where the survey stands for the visitor, for its page. */
export type SurveyState = 'open' | 'notStarted' | 'ended' | 'closed';

export function surveyState(survey: Pick<Survey, 'startsAt' | 'endsAt'>, phaseAllows: boolean, now = new Date()): SurveyState {
  if (survey.endsAt && now >= survey.endsAt) return 'ended';
  if (!phaseAllows) return 'closed';
  if (survey.startsAt && now < survey.startsAt) return 'notStarted';
  return 'open';
}
