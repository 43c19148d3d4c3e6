import type { NotificationKindDefinition } from '../../lib/notifications/kinds.ts';

/** The news component's notifications (registered by …021000_blog.sql). */
export const blogNotificationKinds: readonly NotificationKindDefinition[] = [
  {
    kind: 'blog.post_published',
    label: { fr: 'Les actualités des espaces que je suis', en: 'News from the spaces I follow' },
    message: { fr: 'Actualité dans « {space} » : « {title} »', en: 'News in “{space}”: “{title}”' },
  },
];
