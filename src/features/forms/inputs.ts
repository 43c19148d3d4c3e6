import { z } from 'zod';
import { confirmed } from '../../lib/forms/confirm.ts';
import { translatedInput, uuidInput } from '../../lib/forms/fields.ts';
import { CONDITION_KINDS, QUESTION_KINDS } from './forms.ts';

/*
 * Input schemas of the builder's forms (posted without JavaScript: Astro turns `body.fr` into
 * `{ body: { fr } }`, an empty input into undefined, a checkbox into true when ticked). The
 * database checks the same again (kinds, limits, where options belong, locked forms).
 */

const optionalInteger = (min: number, max: number) =>
  z
    .number({ error: (i) => (i.code === 'invalid_type' && i.input !== undefined && i.input !== null ? 'validation.integer' : undefined) })
    .int({ message: 'validation.integer' })
    .min(min)
    .max(max)
    // Nullable only (no transform): Astro's form parsing then sees the number and converts it.
    .nullable();

const checkbox = z.boolean().default(false);

export const questionnaireDetailsInput = z.object({
  questionnaire_id: uuidInput,
  title: translatedInput({ max: 200 }),
  description: translatedInput({ rich: true, max: 20_000 }),
});

export const addQuestionInput = z.object({
  questionnaire_id: uuidInput,
  kind: z.enum(QUESTION_KINDS, { message: 'validation.invalid_choice' }),
  body: translatedInput({ max: 1000 }),
});

export const updateQuestionInput = z.object({
  question_id: uuidInput,
  kind: z.enum(QUESTION_KINDS, { message: 'validation.invalid_choice' }),
  body: translatedInput({ max: 1000 }),
  description: translatedInput({ rich: true, max: 10_000 }),
  mandatory: checkbox,
  max_choices: optionalInteger(1, 100),
  max_characters: optionalInteger(1, 10_000),
  scale_max: optionalInteger(2, 10),
  scale_min_label: translatedInput({ max: 100 }),
  scale_max_label: translatedInput({ max: 100 }),
});
export type UpdateQuestionInput = z.infer<typeof updateQuestionInput>;

export const questionRefInput = z.object({ question_id: uuidInput });
export const moveInput = z.object({ id: uuidInput, direction: z.enum(['up', 'down'], { message: 'validation.invalid_choice' }) });
export const deleteQuestionInput = confirmed(z.object({ question_id: uuidInput }));

/** An option (`part: option`) or a matrix row (`part: row`), new (question_id) or edited (id). */
export const savePartInput = z.object({
  part: z.enum(['option', 'row'], { message: 'validation.invalid_choice' }),
  question_id: uuidInput,
  id: uuidInput.nullish(),
  body: translatedInput({ required: true, max: 500 }),
  free_text: checkbox,
});
export type SavePartInput = z.infer<typeof savePartInput>;
export const partRefInput = z.object({ id: uuidInput });
export const deletePartInput = confirmed(z.object({ id: uuidInput }));

export const addConditionInput = z.object({
  question_id: uuidInput,
  condition_question_id: uuidInput,
  kind: z.enum(CONDITION_KINDS, { message: 'validation.invalid_choice' }),
  option_id: uuidInput.nullish(),
  pattern: z.string().trim().max(200).nullish().transform((v) => (v ? v : null)),
  mandatory: checkbox,
});
export type AddConditionInput = z.infer<typeof addConditionInput>;
export const deleteConditionInput = confirmed(z.object({ id: uuidInput }));

export const clearResponsesInput = confirmed(z.object({ questionnaire_id: uuidInput }));

export const publishResultsInput = z.object({
  questionnaire_id: uuidInput,
  publish: checkbox,
  live: checkbox,
  // Checkboxes named `questions`, one per question (absent when none is ticked).
  questions: z.array(uuidInput).max(500).default([]),
});
export type PublishResultsInput = z.infer<typeof publishResultsInput>;
