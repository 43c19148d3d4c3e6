import type { NotificationKindDefinition } from '../../lib/notifications/kinds.ts';

/** The debates feature's notifications (registered by …030000_debates_notifications.sql and …030600_debates_timed_notifications.sql). */
export const debatesNotificationKinds: readonly NotificationKindDefinition[] = [
  {
    kind: 'debates.created',
    label: { fr: 'Les nouveaux débats dans les espaces que je suis', en: 'New debates in the spaces I follow' },
    message: { fr: 'Nouveau débat dans « {space} » : « {title} »', en: 'New debate in “{space}”: “{title}”' },
  },
  {
    kind: 'debates.closed',
    label: { fr: 'La clôture des débats que je suis', en: 'The closing of the debates I follow' },
    message: { fr: 'Le débat « {title} » est clos : lisez ses conclusions', en: 'The debate “{title}” is closed: read its conclusions' },
  },
  {
    kind: 'debates.reopened',
    label: { fr: 'La réouverture des débats que je suis', en: 'The reopening of the debates I follow' },
    message: { fr: 'Le débat « {title} » est rouvert', en: 'The debate “{title}” is open again' },
  },
  {
    kind: 'debates.updated',
    label: { fr: 'Les informations ajoutées aux débats que je suis', en: 'Information added to the debates I follow' },
    message: { fr: 'Nouvelles informations sur le débat « {title} »', en: 'New information on the debate “{title}”' },
  },
  {
    kind: 'debates.started',
    label: { fr: 'L’ouverture des débats à dates que je suis', en: 'The start of the timed debates I follow' },
    message: { fr: 'Le débat « {title} » commence : vos arguments sont attendus', en: 'The debate “{title}” has started: your arguments are welcome' },
  },
  {
    kind: 'debates.ended',
    label: { fr: 'La fin des débats à dates que je suis', en: 'The end of the timed debates I follow' },
    message: { fr: 'Le débat « {title} » est terminé', en: 'The debate “{title}” has ended' },
  },
];
