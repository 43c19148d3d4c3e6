import type { NotificationKindDefinition } from '../../lib/notifications/kinds.ts';

/** Where a comment notification leads: the comment, in its resource's thread. */
const toComment: NotificationKindDefinition['target'] = (n) =>
  n.resourceType && n.resourceId
    ? { type: n.resourceType, id: n.resourceId, anchor: typeof n.data['comment_id'] === 'string' ? `comment-${n.data['comment_id']}` : undefined }
    : null;

/** The comments feature's notifications (registered by …020300_comments_notifications.sql). */
export const commentsNotificationKinds: readonly NotificationKindDefinition[] = [
  {
    kind: 'comments.mention',
    label: { fr: 'Quand quelqu’un me mentionne dans un commentaire', en: 'When someone mentions me in a comment' },
    message: { fr: '{actor} vous a mentionné·e dans un commentaire sur « {title} »', en: '{actor} mentioned you in a comment on “{title}”' },
    target: toComment,
  },
  {
    kind: 'comments.reply',
    label: { fr: 'Les réponses à mes commentaires', en: 'Replies to my comments' },
    message: { fr: '{actor} a répondu à votre commentaire sur « {title} »', en: '{actor} replied to your comment on “{title}”' },
    target: toComment,
  },
  {
    kind: 'comments.created',
    label: { fr: 'Les nouveaux commentaires sur ce que je suis', en: 'New comments on what I follow' },
    message: { fr: '{actor} a commenté « {title} », que vous suivez', en: '{actor} commented on “{title}”, which you follow' },
    target: toComment,
  },
];
