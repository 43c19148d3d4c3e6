import { defineAction } from 'astro:actions';
import { addQuestion } from '@/features/forms/add-question.server.ts';
import { clearResponses } from '@/features/forms/clear-responses.server.ts';
import { addCondition, deleteCondition } from '@/features/forms/conditions.server.ts';
import { deleteQuestion } from '@/features/forms/delete-question.server.ts';
import { duplicateQuestion } from '@/features/forms/duplicate-question.server.ts';
import {
  addConditionInput,
  addQuestionInput,
  clearResponsesInput,
  deleteConditionInput,
  deletePartInput,
  deleteQuestionInput,
  moveInput,
  partRefInput,
  publishResultsInput,
  questionnaireDetailsInput,
  questionRefInput,
  savePartInput,
  updateQuestionInput,
} from '@/features/forms/inputs.ts';
import { moveQuestion } from '@/features/forms/move-question.server.ts';
import { deletePart, duplicatePart, movePart } from '@/features/forms/part-actions.server.ts';
import { publishResults } from '@/features/forms/publish-results.server.ts';
import { savePart } from '@/features/forms/save-part.server.ts';
import { updateQuestion } from '@/features/forms/update-question.server.ts';
import { updateQuestionnaire } from '@/features/forms/update-questionnaire.server.ts';
import { unwrap } from './unwrap.ts';

/**
 * Actions of the forms library's builder and results (any owner's questionnaire: the database
 * asks the owner's rules whether the caller manages it). Pages that show the builder handle
 * their outcome with `formsOutcome` (src/features/forms/outcome.ts).
 */
export const forms = {
  updateQuestionnaire: defineAction({ accept: 'form', input: questionnaireDetailsInput, handler: async (i, c) => unwrap(await updateQuestionnaire(c.locals.claims, i)) }),
  addQuestion: defineAction({ accept: 'form', input: addQuestionInput, handler: async (i, c) => unwrap(await addQuestion(c.locals.claims, i)) }),
  updateQuestion: defineAction({ accept: 'form', input: updateQuestionInput, handler: async (i, c) => unwrap(await updateQuestion(c.locals.claims, i)) }),
  deleteQuestion: defineAction({ accept: 'form', input: deleteQuestionInput, handler: async (i, c) => unwrap(await deleteQuestion(c.locals.claims, i)) }),
  moveQuestion: defineAction({ accept: 'form', input: moveInput, handler: async (i, c) => unwrap(await moveQuestion(c.locals.claims, i)) }),
  duplicateQuestion: defineAction({ accept: 'form', input: questionRefInput, handler: async (i, c) => unwrap(await duplicateQuestion(c.locals.claims, i)) }),
  savePart: defineAction({ accept: 'form', input: savePartInput, handler: async (i, c) => unwrap(await savePart(c.locals.claims, i)) }),
  movePart: defineAction({ accept: 'form', input: moveInput, handler: async (i, c) => unwrap(await movePart(c.locals.claims, i)) }),
  duplicatePart: defineAction({ accept: 'form', input: partRefInput, handler: async (i, c) => unwrap(await duplicatePart(c.locals.claims, i)) }),
  deletePart: defineAction({ accept: 'form', input: deletePartInput, handler: async (i, c) => unwrap(await deletePart(c.locals.claims, i)) }),
  addCondition: defineAction({ accept: 'form', input: addConditionInput, handler: async (i, c) => unwrap(await addCondition(c.locals.claims, i)) }),
  deleteCondition: defineAction({ accept: 'form', input: deleteConditionInput, handler: async (i, c) => unwrap(await deleteCondition(c.locals.claims, i)) }),
  clearResponses: defineAction({ accept: 'form', input: clearResponsesInput, handler: async (i, c) => unwrap(await clearResponses(c.locals.claims, i)) }),
  publishResults: defineAction({ accept: 'form', input: publishResultsInput, handler: async (i, c) => unwrap(await publishResults(c.locals.claims, i)) }),
};
