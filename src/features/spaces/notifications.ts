import type { NotificationKindDefinition } from '../../lib/notifications/kinds.ts';

/** The spaces' notifications (registered by …020100_core_spaces_notifications.sql). */
export const spacesNotificationKinds: readonly NotificationKindDefinition[] = [
  {
    kind: 'spaces.phase_changed',
    label: { fr: 'Le changement de phase d’un processus que je suis', en: 'A process I follow moving to a new phase' },
    message: { fr: '« {space} » passe à la phase « {phase_title} »', en: '“{space}” moves on to the “{phase_title}” phase' },
  },
];
