import { defineAction } from 'astro:actions';
import { completeProposal } from '@/features/proposals/complete-proposal.server.ts';
import { createAmendment } from '@/features/proposals/create-amendment.server.ts';
import { createProposal } from '@/features/proposals/create-proposal.server.ts';
import { deleteDraft } from '@/features/proposals/delete-draft.server.ts';
import { followProposal, unfollowProposal } from '@/features/proposals/follow-proposal.server.ts';
import {
  coauthorInput,
  completeProposalInput,
  createAmendmentInput,
  createProposalInput,
  emendationIdInput,
  inviteCoauthorInput,
  proposalIdInput,
  reactToAmendmentInput,
  reportProposalInput,
  updateProposalInput,
  withdrawProposalInput,
} from '@/features/proposals/inputs.ts';
import { cancelInvitation, inviteCoauthor } from '@/features/proposals/invite-coauthor.server.ts';
import { likeProposal, unlikeProposal } from '@/features/proposals/like-proposal.server.ts';
import { promoteAmendment } from '@/features/proposals/promote-amendment.server.ts';
import { publishProposal } from '@/features/proposals/publish-proposal.server.ts';
import { reactToAmendment } from '@/features/proposals/react-to-amendment.server.ts';
import { reportProposal } from '@/features/proposals/report-proposal.server.ts';
import { acceptCoauthorship, declineCoauthorship } from '@/features/proposals/respond-coauthorship.server.ts';
import { supportProposal } from '@/features/proposals/support-proposal.server.ts';
import { unsupportProposal } from '@/features/proposals/unsupport-proposal.server.ts';
import { updateProposal } from '@/features/proposals/update-proposal.server.ts';
import { withdrawProposal } from '@/features/proposals/withdraw-proposal.server.ts';
import { confirmed } from '@/lib/forms/confirm.ts';
import { unwrap } from './unwrap.ts';

/** Actions of the proposals feature, participant side (forms without JavaScript, and the islands). */
export const proposals = {
  createProposal: defineAction({ accept: 'form', input: createProposalInput, handler: async (i, c) => unwrap(await createProposal(c.locals.claims, i)) }),
  updateProposal: defineAction({ accept: 'form', input: updateProposalInput, handler: async (i, c) => unwrap(await updateProposal(c.locals.claims, i)) }),
  completeProposal: defineAction({ accept: 'form', input: completeProposalInput, handler: async (i, c) => unwrap(await completeProposal(c.locals.claims, i)) }),
  publishProposal: defineAction({ accept: 'form', input: proposalIdInput, handler: async (i, c) => unwrap(await publishProposal(c.locals.claims, i)) }),
  deleteDraft: defineAction({ accept: 'form', input: confirmed(proposalIdInput), handler: async (i, c) => unwrap(await deleteDraft(c.locals.claims, i)) }),
  withdrawProposal: defineAction({ accept: 'form', input: withdrawProposalInput, handler: async (i, c) => unwrap(await withdrawProposal(c.locals.claims, i)) }),
  supportProposal: defineAction({ accept: 'form', input: proposalIdInput, handler: async (i, c) => unwrap(await supportProposal(c.locals.claims, i)) }),
  unsupportProposal: defineAction({ accept: 'form', input: proposalIdInput, handler: async (i, c) => unwrap(await unsupportProposal(c.locals.claims, i)) }),
  likeProposal: defineAction({ accept: 'form', input: proposalIdInput, handler: async (i, c) => unwrap(await likeProposal(c.locals.claims, i)) }),
  unlikeProposal: defineAction({ accept: 'form', input: proposalIdInput, handler: async (i, c) => unwrap(await unlikeProposal(c.locals.claims, i)) }),
  followProposal: defineAction({ accept: 'form', input: proposalIdInput, handler: async (i, c) => unwrap(await followProposal(c.locals.claims, i)) }),
  unfollowProposal: defineAction({ accept: 'form', input: proposalIdInput, handler: async (i, c) => unwrap(await unfollowProposal(c.locals.claims, i)) }),
  reportProposal: defineAction({ accept: 'form', input: reportProposalInput, handler: async (i, c) => unwrap(await reportProposal(c.locals.claims, i)) }),
  inviteCoauthor: defineAction({ accept: 'form', input: inviteCoauthorInput, handler: async (i, c) => unwrap(await inviteCoauthor(c.locals.claims, i)) }),
  cancelInvitation: defineAction({ accept: 'form', input: coauthorInput, handler: async (i, c) => unwrap(await cancelInvitation(c.locals.claims, i)) }),
  acceptCoauthorship: defineAction({ accept: 'form', input: proposalIdInput, handler: async (i, c) => unwrap(await acceptCoauthorship(c.locals.claims, i)) }),
  declineCoauthorship: defineAction({ accept: 'form', input: proposalIdInput, handler: async (i, c) => unwrap(await declineCoauthorship(c.locals.claims, i)) }),
  createAmendment: defineAction({ accept: 'form', input: createAmendmentInput, handler: async (i, c) => unwrap(await createAmendment(c.locals.claims, i)) }),
  reactToAmendment: defineAction({ accept: 'form', input: reactToAmendmentInput, handler: async (i, c) => unwrap(await reactToAmendment(c.locals.claims, i)) }),
  promoteAmendment: defineAction({ accept: 'form', input: emendationIdInput, handler: async (i, c) => unwrap(await promoteAmendment(c.locals.claims, i)) }),
};
