import { defineAction } from 'astro:actions';
import { followSpace } from '@/features/notifications/follow-space.server.ts';
import { markAllRead, markRead } from '@/features/notifications/mark-read.server.ts';
import { followSpaceInput, markReadInput } from '@/features/notifications/notifications.ts';
import { unwrap } from './unwrap.ts';

/** Actions of the notifications feature: reading them, following a space. */
export const notifications = {
  markRead: defineAction({ accept: 'form', input: markReadInput, handler: async (i, c) => unwrap(await markRead(c.locals.claims, i)) }),
  markAllRead: defineAction({ accept: 'form', handler: async (_i, c) => unwrap(await markAllRead(c.locals.claims)) }),
  followSpace: defineAction({ accept: 'form', input: followSpaceInput, handler: async (i, c) => unwrap(await followSpace(c.locals.claims, i)) }),
};
