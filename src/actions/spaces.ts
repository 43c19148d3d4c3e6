import { defineAction, type ActionAPIContext } from 'astro:actions';
import { activatePhase } from '@/features/spaces/activate-phase.server.ts';
import { addPhase } from '@/features/spaces/add-phase.server.ts';
import { createAssembly } from '@/features/spaces/create-assembly.server.ts';
import { createProcess } from '@/features/spaces/create-process.server.ts';
import { deletePhase } from '@/features/spaces/delete-phase.server.ts';
import { deleteSpace } from '@/features/spaces/delete-space.server.ts';
import { grantSpaceRole } from '@/features/spaces/grant-space-role.server.ts';
import { inviteSpaceMember } from '@/features/spaces/invite-space-member.server.ts';
import { movePhase } from '@/features/spaces/move-phase.server.ts';
import { publishSpace } from '@/features/spaces/publish-space.server.ts';
import { removeSpaceMember } from '@/features/spaces/remove-space-member.server.ts';
import { revokeSpaceRole } from '@/features/spaces/revoke-space-role.server.ts';
import {
  addPhaseInput,
  createAssemblyInput,
  createProcessInput,
  deleteSpaceInput,
  grantRoleInput,
  inviteMemberInput,
  movePhaseInput,
  phaseRefInput,
  publishSpaceInput,
  removeMemberInput,
  revokeRoleInput,
  spaceContext,
  updateAssemblyInput,
  updatePhaseInput,
  updateProcessInput,
} from '@/features/spaces/spaces.ts';
import { updateAssembly } from '@/features/spaces/update-assembly.server.ts';
import { updatePhase } from '@/features/spaces/update-phase.server.ts';
import { updateProcess } from '@/features/spaces/update-process.server.ts';
import { getConfig } from '@/lib/config.ts';
import { confirmed } from '@/lib/forms/confirm.ts';
import { unwrap } from './unwrap.ts';

/*
 * Admin actions on participatory spaces: forms posted without JavaScript, parsed by zod, one use
 * case each, run as the signed-in person (RLS decides). The pages redirect after success.
 */

const ctxOf = (context: ActionAPIContext) => spaceContext(context.locals, getConfig().siteUrl);

export const spaces = {
  createProcess: defineAction({ accept: 'form', input: createProcessInput, handler: async (i, c) => unwrap(await createProcess(ctxOf(c), i)) }),
  updateProcess: defineAction({ accept: 'form', input: updateProcessInput, handler: async (i, c) => unwrap(await updateProcess(ctxOf(c), i)) }),
  createAssembly: defineAction({ accept: 'form', input: createAssemblyInput, handler: async (i, c) => unwrap(await createAssembly(ctxOf(c), i)) }),
  updateAssembly: defineAction({ accept: 'form', input: updateAssemblyInput, handler: async (i, c) => unwrap(await updateAssembly(ctxOf(c), i)) }),
  publishSpace: defineAction({ accept: 'form', input: publishSpaceInput, handler: async (i, c) => unwrap(await publishSpace(ctxOf(c), i)) }),
  deleteSpace: defineAction({ accept: 'form', input: deleteSpaceInput, handler: async (i, c) => unwrap(await deleteSpace(ctxOf(c), i)) }),
  addPhase: defineAction({ accept: 'form', input: addPhaseInput, handler: async (i, c) => unwrap(await addPhase(ctxOf(c), i)) }),
  updatePhase: defineAction({ accept: 'form', input: updatePhaseInput, handler: async (i, c) => unwrap(await updatePhase(ctxOf(c), i)) }),
  deletePhase: defineAction({ accept: 'form', input: confirmed(phaseRefInput), handler: async (i, c) => unwrap(await deletePhase(ctxOf(c), i)) }),
  movePhase: defineAction({ accept: 'form', input: movePhaseInput, handler: async (i, c) => unwrap(await movePhase(ctxOf(c), i)) }),
  activatePhase: defineAction({ accept: 'form', input: phaseRefInput, handler: async (i, c) => unwrap(await activatePhase(ctxOf(c), i)) }),
  grantRole: defineAction({ accept: 'form', input: grantRoleInput, handler: async (i, c) => unwrap(await grantSpaceRole(ctxOf(c), i)) }),
  revokeRole: defineAction({ accept: 'form', input: confirmed(revokeRoleInput), handler: async (i, c) => unwrap(await revokeSpaceRole(ctxOf(c), i)) }),
  inviteMember: defineAction({ accept: 'form', input: inviteMemberInput, handler: async (i, c) => unwrap(await inviteSpaceMember(ctxOf(c), i)) }),
  removeMember: defineAction({ accept: 'form', input: confirmed(removeMemberInput), handler: async (i, c) => unwrap(await removeSpaceMember(ctxOf(c), i)) }),
};
