import { defineAction } from 'astro:actions';
import { addAttachment } from '@/features/attachments/add-attachment.server.ts';
import { addCollection } from '@/features/attachments/add-collection.server.ts';
import {
  addAttachmentInput,
  addCollectionInput,
  deleteAttachmentInput,
  deleteCollectionInput,
  moveAttachmentInput,
  removeAvatarInput,
  removeSpaceHeroInput,
  setAvatarInput,
  setSpaceHeroInput,
} from '@/features/attachments/attachments.ts';
import { deleteAttachment } from '@/features/attachments/delete-attachment.server.ts';
import { deleteCollection } from '@/features/attachments/delete-collection.server.ts';
import { moveAttachment } from '@/features/attachments/move-attachment.server.ts';
import { removeAvatar } from '@/features/attachments/remove-avatar.server.ts';
import { removeSpaceHero } from '@/features/attachments/remove-space-hero.server.ts';
import { setAvatar } from '@/features/attachments/set-avatar.server.ts';
import { setSpaceHero } from '@/features/attachments/set-space-hero.server.ts';
import { unwrap } from './unwrap.ts';

/**
 * Actions of the attachments feature (multipart forms, without JavaScript): the files go to
 * Storage with the visitor's own client (`locals.supabase`), so the storage policies decide as
 * they would for any client of the project.
 */
export const attachments = {
  addAttachment: defineAction({
    accept: 'form',
    input: addAttachmentInput,
    handler: async (i, c) => unwrap(await addAttachment({ claims: c.locals.claims, storage: c.locals.supabase.storage, locale: c.locals.locale }, i)),
  }),
  deleteAttachment: defineAction({
    accept: 'form',
    input: deleteAttachmentInput,
    handler: async (i, c) => unwrap(await deleteAttachment({ claims: c.locals.claims, storage: c.locals.supabase.storage }, i)),
  }),
  addCollection: defineAction({
    accept: 'form',
    input: addCollectionInput,
    handler: async (i, c) => unwrap(await addCollection({ claims: c.locals.claims, locale: c.locals.locale }, i)),
  }),
  deleteCollection: defineAction({
    accept: 'form',
    input: deleteCollectionInput,
    handler: async (i, c) => unwrap(await deleteCollection({ claims: c.locals.claims }, i)),
  }),
  moveAttachment: defineAction({
    accept: 'form',
    input: moveAttachmentInput,
    handler: async (i, c) => unwrap(await moveAttachment({ claims: c.locals.claims }, i)),
  }),
  setSpaceHero: defineAction({
    accept: 'form',
    input: setSpaceHeroInput,
    handler: async (i, c) => unwrap(await setSpaceHero({ claims: c.locals.claims, storage: c.locals.supabase.storage }, i)),
  }),
  removeSpaceHero: defineAction({
    accept: 'form',
    input: removeSpaceHeroInput,
    handler: async (i, c) => unwrap(await removeSpaceHero({ claims: c.locals.claims, storage: c.locals.supabase.storage }, i)),
  }),
  setAvatar: defineAction({
    accept: 'form',
    input: setAvatarInput,
    handler: async (i, c) => unwrap(await setAvatar({ claims: c.locals.claims, storage: c.locals.supabase.storage }, i)),
  }),
  removeAvatar: defineAction({
    accept: 'form',
    input: removeAvatarInput,
    handler: async (_i, c) => unwrap(await removeAvatar({ claims: c.locals.claims, storage: c.locals.supabase.storage })),
  }),
};
