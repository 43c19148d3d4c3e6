import { defineAction } from 'astro:actions';
import { addNote } from '@/features/proposals/admin/add-note.server.ts';
import { answerProposal } from '@/features/proposals/admin/answer-proposal.server.ts';
import { assignEvaluator } from '@/features/proposals/admin/assign-evaluator.server.ts';
import { createOfficialProposal } from '@/features/proposals/admin/create-official-proposal.server.ts';
import { deleteState } from '@/features/proposals/admin/delete-state.server.ts';
import { hideProposal } from '@/features/proposals/admin/hide-proposal.server.ts';
import { importProposals } from '@/features/proposals/admin/import-proposals.server.ts';
import {
  addNoteInput,
  answerProposalInput,
  deleteStateInput,
  evaluatorInput,
  hideProposalInput,
  importProposalsInput,
  mergeProposalsInput,
  officialProposalInput,
  publishAnswersInput,
  saveStateInput,
  splitProposalInput,
} from '@/features/proposals/admin/inputs.ts';
import { mergeProposals } from '@/features/proposals/admin/merge-proposals.server.ts';
import { publishAnswers } from '@/features/proposals/admin/publish-answers.server.ts';
import { saveState } from '@/features/proposals/admin/save-state.server.ts';
import { splitProposal } from '@/features/proposals/admin/split-proposal.server.ts';
import { unassignEvaluator } from '@/features/proposals/admin/unassign-evaluator.server.ts';
import { confirmed } from '@/lib/forms/confirm.ts';
import { unwrap } from './unwrap.ts';

/** Actions of the proposals feature, admin side (answers, states, evaluators, notes, split, merge, import). */
export const proposalsAdmin = {
  answerProposal: defineAction({ accept: 'form', input: answerProposalInput, handler: async (i, c) => unwrap(await answerProposal(c.locals.claims, i)) }),
  publishAnswers: defineAction({ accept: 'form', input: publishAnswersInput, handler: async (i, c) => unwrap(await publishAnswers(c.locals.claims, i)) }),
  assignEvaluator: defineAction({ accept: 'form', input: evaluatorInput, handler: async (i, c) => unwrap(await assignEvaluator(c.locals.claims, i)) }),
  unassignEvaluator: defineAction({ accept: 'form', input: evaluatorInput, handler: async (i, c) => unwrap(await unassignEvaluator(c.locals.claims, i)) }),
  addNote: defineAction({ accept: 'form', input: addNoteInput, handler: async (i, c) => unwrap(await addNote(c.locals.claims, i)) }),
  saveState: defineAction({ accept: 'form', input: saveStateInput, handler: async (i, c) => unwrap(await saveState(c.locals.claims, i)) }),
  deleteState: defineAction({ accept: 'form', input: confirmed(deleteStateInput), handler: async (i, c) => unwrap(await deleteState(c.locals.claims, i)) }),
  mergeProposals: defineAction({ accept: 'form', input: mergeProposalsInput, handler: async (i, c) => unwrap(await mergeProposals(c.locals.claims, i)) }),
  splitProposal: defineAction({ accept: 'form', input: splitProposalInput, handler: async (i, c) => unwrap(await splitProposal(c.locals.claims, i)) }),
  importProposals: defineAction({ accept: 'form', input: importProposalsInput, handler: async (i, c) => unwrap(await importProposals(c.locals.claims, i)) }),
  createOfficialProposal: defineAction({
    accept: 'form',
    input: officialProposalInput,
    handler: async (i, c) => unwrap(await createOfficialProposal(c.locals.claims, i)),
  }),
  hideProposal: defineAction({ accept: 'form', input: hideProposalInput, handler: async (i, c) => unwrap(await hideProposal(c.locals.claims, i)) }),
};
