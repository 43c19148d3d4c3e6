import { z } from 'zod';

/** Types and input schemas of the notifications feature (no server imports: islands may read them). */

export const FREQUENCIES = ['immediate', 'daily', 'weekly', 'never'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export function isFrequency(v: unknown): v is Frequency {
  return typeof v === 'string' && (FREQUENCIES as readonly string[]).includes(v);
}

const uuid = z.uuid({ message: 'validation.invalid' });

export const markReadInput = z.object({ id: uuid });
export type MarkReadInput = z.infer<typeof markReadInput>;

export const followSpaceInput = z.object({ space_id: uuid, follow: z.enum(['1', '0'], { message: 'validation.invalid' }) });
export type FollowSpaceInput = z.infer<typeof followSpaceInput>;

export const NOTIFICATION_STATUSES = ['read', 'all-read'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
export function isNotificationStatus(v: unknown): v is NotificationStatus {
  return typeof v === 'string' && (NOTIFICATION_STATUSES as readonly string[]).includes(v);
}

/** The private channel of a person's unread count (`private.notifications_topic`). */
export function notificationsTopic(userId: string): string {
  return `notifications:${userId}`;
}

/** How many notifications a page of the list shows. */
export const PAGE_SIZE = 50;
