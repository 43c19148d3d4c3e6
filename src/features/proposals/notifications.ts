import type { NotificationKindDefinition } from '../../lib/notifications/kinds.ts';

/** The proposals feature's notifications (registered by …020200_proposals_notifications.sql). */
export const proposalsNotificationKinds: readonly NotificationKindDefinition[] = [
  {
    kind: 'proposals.submitted',
    label: { fr: 'La confirmation de mes propositions publiées', en: 'Confirmation of the proposals I publish' },
    message: { fr: 'Votre proposition « {title} » est publiée', en: 'Your proposal “{title}” is published' },
  },
  {
    kind: 'proposals.published',
    label: { fr: 'Les nouvelles propositions dans les espaces que je suis', en: 'New proposals in the spaces I follow' },
    message: { fr: 'Nouvelle proposition dans « {space} » : « {title} »', en: 'New proposal in “{space}”: “{title}”' },
  },
  {
    kind: 'proposals.answered',
    label: { fr: 'Les réponses aux propositions que je suis', en: 'Answers to the proposals I follow' },
    message: { fr: 'La proposition « {title} » a reçu une réponse : {state}', en: 'The proposal “{title}” was answered: {state}' },
  },
  {
    kind: 'proposals.amended',
    label: { fr: 'Les amendements aux propositions que je suis', en: 'Amendments to the proposals I follow' },
    message: { fr: '{actor} propose un amendement à « {title} »', en: '{actor} proposes an amendment to “{title}”' },
    target: (n) => (typeof n.data['amendment_id'] === 'string' ? { type: 'proposal', id: n.data['amendment_id'] } : null),
  },
  {
    kind: 'proposals.amendment_answered',
    label: { fr: 'La réponse à mes amendements', en: 'The answer to my amendments' },
    message: { fr: 'Votre amendement « {title} » est {outcome}', en: 'Your amendment “{title}” was {outcome}' },
    vars: (data) => ({
      outcome: data['amendment_state'] === 'accepted' ? { fr: 'accepté', en: 'accepted' } : { fr: 'rejeté', en: 'rejected' },
    }),
  },
  {
    kind: 'proposals.coauthor_invited',
    label: { fr: 'Les invitations à co-signer une proposition', en: 'Invitations to co-author a proposal' },
    message: { fr: '{actor} vous invite à co-signer la proposition « {title} »', en: '{actor} invites you to co-author the proposal “{title}”' },
  },
];
