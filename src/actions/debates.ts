import { defineAction } from 'astro:actions';
import { addArgument } from '@/features/debates/add-argument.server.ts';
import { createOfficialDebate } from '@/features/debates/admin/create-official-debate.server.ts';
import { hideDebate } from '@/features/debates/admin/hide-debate.server.ts';
import { reopenDebate } from '@/features/debates/admin/reopen-debate.server.ts';
import { updateInformation } from '@/features/debates/admin/update-information.server.ts';
import { updateOfficialDebate } from '@/features/debates/admin/update-official-debate.server.ts';
import { closeDebate } from '@/features/debates/close-debate.server.ts';
import { createDebate } from '@/features/debates/create-debate.server.ts';
import { followDebate, unfollowDebate } from '@/features/debates/follow-debate.server.ts';
import {
  addArgumentInput,
  closeDebateInput,
  createDebateInput,
  createOfficialDebateInput,
  debateIdInput,
  hideDebateInput,
  informationUpdatesInput,
  presencePreferenceInput,
  reopenDebateInput,
  reportDebateInput,
  takePositionInput,
  updateDebateInput,
  updateOfficialDebateInput,
  withdrawDebateInput,
} from '@/features/debates/inputs.ts';
import { likeDebate, unlikeDebate } from '@/features/debates/like-debate.server.ts';
import { reportDebate } from '@/features/debates/report-debate.server.ts';
import { setPresencePreference } from '@/features/debates/set-presence-preference.server.ts';
import { takePosition } from '@/features/debates/take-position.server.ts';
import { updateDebate } from '@/features/debates/update-debate.server.ts';
import { withdrawDebate } from '@/features/debates/withdraw-debate.server.ts';
import { unwrap } from './unwrap.ts';

/** Actions of the debates feature, for participants: parse, resolve the user, one use case each. */
export const debates = {
  createDebate: defineAction({ accept: 'form', input: createDebateInput, handler: async (i, c) => unwrap(await createDebate(c.locals.claims, i)) }),
  updateDebate: defineAction({ accept: 'form', input: updateDebateInput, handler: async (i, c) => unwrap(await updateDebate(c.locals.claims, i)) }),
  closeDebate: defineAction({ accept: 'form', input: closeDebateInput, handler: async (i, c) => unwrap(await closeDebate(c.locals.claims, i)) }),
  withdrawDebate: defineAction({ accept: 'form', input: withdrawDebateInput, handler: async (i, c) => unwrap(await withdrawDebate(c.locals.claims, i)) }),
  likeDebate: defineAction({ accept: 'form', input: debateIdInput, handler: async (i, c) => unwrap(await likeDebate(c.locals.claims, i)) }),
  unlikeDebate: defineAction({ accept: 'form', input: debateIdInput, handler: async (i, c) => unwrap(await unlikeDebate(c.locals.claims, i)) }),
  followDebate: defineAction({ accept: 'form', input: debateIdInput, handler: async (i, c) => unwrap(await followDebate(c.locals.claims, i)) }),
  unfollowDebate: defineAction({ accept: 'form', input: debateIdInput, handler: async (i, c) => unwrap(await unfollowDebate(c.locals.claims, i)) }),
  reportDebate: defineAction({ accept: 'form', input: reportDebateInput, handler: async (i, c) => unwrap(await reportDebate(c.locals.claims, i)) }),
  addArgument: defineAction({ accept: 'form', input: addArgumentInput, handler: async (i, c) => unwrap(await addArgument(c.locals.claims, i)) }),
  takePosition: defineAction({ accept: 'form', input: takePositionInput, handler: async (i, c) => unwrap(await takePosition(c.locals.claims, i)) }),
  setPresencePreference: defineAction({
    accept: 'form',
    input: presencePreferenceInput,
    handler: async (i, c) => unwrap(await setPresencePreference(c.locals.claims, i)),
  }),
};

/** Actions of the debates' admin (the organization's debates, reopening, moderation). */
export const debatesAdmin = {
  createOfficialDebate: defineAction({
    accept: 'form',
    input: createOfficialDebateInput,
    handler: async (i, c) => unwrap(await createOfficialDebate(c.locals.claims, i)),
  }),
  updateOfficialDebate: defineAction({
    accept: 'form',
    input: updateOfficialDebateInput,
    handler: async (i, c) => unwrap(await updateOfficialDebate(c.locals.claims, i)),
  }),
  updateInformation: defineAction({ accept: 'form', input: informationUpdatesInput, handler: async (i, c) => unwrap(await updateInformation(c.locals.claims, i)) }),
  closeDebate: defineAction({ accept: 'form', input: closeDebateInput, handler: async (i, c) => unwrap(await closeDebate(c.locals.claims, i)) }),
  reopenDebate: defineAction({ accept: 'form', input: reopenDebateInput, handler: async (i, c) => unwrap(await reopenDebate(c.locals.claims, i)) }),
  hideDebate: defineAction({ accept: 'form', input: hideDebateInput, handler: async (i, c) => unwrap(await hideDebate(c.locals.claims, i)) }),
};
