import type { NotificationKindDefinition } from '../../lib/notifications/kinds.ts';

/** The surveys feature's notifications (registered by …030200_surveys_notifications.sql). */
export const surveysNotificationKinds: readonly NotificationKindDefinition[] = [
  {
    kind: 'surveys.opened',
    label: { fr: 'Les questionnaires ouverts dans les espaces que je suis', en: 'Surveys opened in the spaces I follow' },
    message: { fr: 'Nouveau questionnaire dans « {space} » : « {title} »', en: 'New survey in “{space}”: “{title}”' },
  },
];
