import type { SameKeys } from '@/lib/i18n/catalog.ts';
import type { moderationFr } from './moderation.fr.ts';

/** Texts of the proposals part of a space's moderation queue, in English: exactly the French keys. */
export const moderationEn = {
  'proposals.moderation.title': 'Reported or hidden proposals',
  'proposals.moderation.empty': 'No reported or hidden proposals in this space.',
  'proposals.moderation.proposal': 'Proposal',
  'proposals.moderation.reportsCol': 'Reports',
  'proposals.moderation.reports.one': '{count} report',
  'proposals.moderation.reports.other': '{count} reports',
  'proposals.moderation.reasons': 'Reasons: {list}',
  'proposals.moderation.reason.spam': 'spam ({count})',
  'proposals.moderation.reason.offensive': 'offensive content ({count})',
  'proposals.moderation.reason.does_not_belong': 'off topic ({count})',
  'proposals.moderation.state': 'State',
  'proposals.moderation.visible': 'Visible',
  'proposals.moderation.hiddenState': 'Hidden',
  'proposals.moderation.notAnswered': 'Not answered',
  'proposals.moderation.actions': 'Actions',
  'proposals.moderation.hide': 'Hide',
  'proposals.moderation.unhide': 'Make visible',
  'proposals.moderation.draftsTitle': 'Reported or hidden collaborative drafts',
  'proposals.moderation.draftsEmpty': 'No reported or hidden collaborative draft in this space.',
  'proposals.moderation.draft': 'Draft',
  'proposals.moderation.hiddenDraft': 'Hidden',
  'proposals.moderation.draftState.open': 'Open',
  'proposals.moderation.draftState.withdrawn': 'Withdrawn',
  'proposals.moderation.draftState.published': 'Published',
  'proposals.moderation.hideDraft': 'Hide the draft',
  'proposals.moderation.unhideDraft': 'Make the draft visible',
} satisfies SameKeys<typeof moderationFr>;
