import { ActionError, defineAction } from 'astro:actions';
import { z } from 'zod';
import { closeVote, requestTally } from '@/features/budgets/admin/close-vote.server.ts';
import { confirmSelection, unconfirmSelection } from '@/features/budgets/admin/confirm-selection.server.ts';
import { deleteBudget } from '@/features/budgets/admin/delete-budget.server.ts';
import { deleteProject } from '@/features/budgets/admin/delete-project.server.ts';
import { importPabulib } from '@/features/budgets/admin/import-pabulib.server.ts';
import { importProposals } from '@/features/budgets/admin/import-proposals.server.ts';
import { saveBudget } from '@/features/budgets/admin/save-budget.server.ts';
import { saveProject } from '@/features/budgets/admin/save-project.server.ts';
import {
  budgetInput,
  closeVoteInput,
  confirmSelectionInput,
  deleteBudgetInput,
  deleteProjectInput,
  importProposalsInput,
  projectInput,
  requestTallyInput,
  unconfirmSelectionInput,
} from '@/features/budgets/budgets.ts';
import { requestOrganization } from '@/features/organization/queries.server.ts';
import { uuidInput } from '@/lib/forms/fields.ts';
import { unwrap } from './unwrap.ts';

/** The budgets admin's actions (spread into `actions.budgets`): every write is checked by RLS and the database's functions. */
export const budgetsAdminActions = {
  saveBudget: defineAction({ accept: 'form', input: budgetInput, handler: async (i, c) => unwrap(await saveBudget(c.locals.claims, i)) }),
  deleteBudget: defineAction({ accept: 'form', input: deleteBudgetInput, handler: async (i, c) => unwrap(await deleteBudget(c.locals.claims, i)) }),
  saveProject: defineAction({ accept: 'form', input: projectInput, handler: async (i, c) => unwrap(await saveProject(c.locals.claims, i)) }),
  deleteProject: defineAction({ accept: 'form', input: deleteProjectInput, handler: async (i, c) => unwrap(await deleteProject(c.locals.claims, i)) }),
  importProposals: defineAction({
    accept: 'form',
    input: importProposalsInput,
    handler: async (i, c) => unwrap(await importProposals(c.locals.claims, i, (await requestOrganization(c.locals)).defaultLocale)),
  }),
  importPabulib: defineAction({
    accept: 'form',
    input: z.object({ component_id: uuidInput, file: z.instanceof(File, { message: 'budgets.admin.error.file' }) }),
    handler: async (i, c) => {
      if (!(i.file instanceof File)) throw new ActionError({ code: 'BAD_REQUEST' });
      return unwrap(await importPabulib(c.locals.claims, i.component_id, i.file));
    },
  }),
  closeVote: defineAction({ accept: 'form', input: closeVoteInput, handler: async (i, c) => unwrap(await closeVote(c.locals.claims, i)) }),
  requestTally: defineAction({ accept: 'form', input: requestTallyInput, handler: async (i, c) => unwrap(await requestTally(c.locals.claims, i)) }),
  confirmSelection: defineAction({ accept: 'form', input: confirmSelectionInput, handler: async (i, c) => unwrap(await confirmSelection(c.locals.claims, i)) }),
  unconfirmSelection: defineAction({ accept: 'form', input: unconfirmSelectionInput, handler: async (i, c) => unwrap(await unconfirmSelection(c.locals.claims, i)) }),
};
