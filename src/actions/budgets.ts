import { defineAction } from 'astro:actions';
import { addProject } from '@/features/budgets/add-project.server.ts';
import { ballotProjectInput, checkoutInput, emptyBallotInput } from '@/features/budgets/budgets.ts';
import { checkoutBallot } from '@/features/budgets/checkout-ballot.server.ts';
import { emptyBallot } from '@/features/budgets/empty-ballot.server.ts';
import { removeProject } from '@/features/budgets/remove-project.server.ts';
import { budgetsAdminActions } from './budgets-admin.ts';
import { unwrap } from './unwrap.ts';

/** Actions of the budgets feature: a voter's ballot, and the admins' (budgets-admin.ts). */
export const budgets = {
  addProject: defineAction({ accept: 'form', input: ballotProjectInput, handler: async (i, c) => unwrap(await addProject(c.locals.claims, i)) }),
  removeProject: defineAction({ accept: 'form', input: ballotProjectInput, handler: async (i, c) => unwrap(await removeProject(c.locals.claims, i)) }),
  checkout: defineAction({ accept: 'form', input: checkoutInput, handler: async (i, c) => unwrap(await checkoutBallot(c.locals.claims, i)) }),
  emptyBallot: defineAction({ accept: 'form', input: emptyBallotInput, handler: async (i, c) => unwrap(await emptyBallot(c.locals.claims, i)) }),
  ...budgetsAdminActions,
};
