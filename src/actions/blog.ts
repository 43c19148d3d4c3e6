import { defineAction } from 'astro:actions';
import { deletePostInput, moderatePostInput, postIdInput, reportPostInput, savePostInput, writePostInput } from '@/features/blog/blog.ts';
import { deletePost } from '@/features/blog/delete-post.server.ts';
import { followPost, likePost, moderatePost, reportPost } from '@/features/blog/participate.server.ts';
import { savePost } from '@/features/blog/save-post.server.ts';
import { writePost } from '@/features/blog/write-post.server.ts';
import { unwrap } from './unwrap.ts';

/** Actions of the news component: parse, resolve the user, one use case each. */
export const blog = {
  savePost: defineAction({ accept: 'form', input: savePostInput, handler: async (i, c) => unwrap(await savePost(c.locals.claims, i)) }),
  deletePost: defineAction({ accept: 'form', input: deletePostInput, handler: async (i, c) => unwrap(await deletePost(c.locals.claims, i)) }),
  writePost: defineAction({ accept: 'form', input: writePostInput, handler: async (i, c) => unwrap(await writePost(c.locals.claims, c.locals.locale, i)) }),
  likePost: defineAction({ accept: 'form', input: postIdInput, handler: async (i, c) => unwrap(await likePost(c.locals.claims, i, true)) }),
  unlikePost: defineAction({ accept: 'form', input: postIdInput, handler: async (i, c) => unwrap(await likePost(c.locals.claims, i, false)) }),
  followPost: defineAction({ accept: 'form', input: postIdInput, handler: async (i, c) => unwrap(await followPost(c.locals.claims, i, true)) }),
  unfollowPost: defineAction({ accept: 'form', input: postIdInput, handler: async (i, c) => unwrap(await followPost(c.locals.claims, i, false)) }),
  reportPost: defineAction({ accept: 'form', input: reportPostInput, handler: async (i, c) => unwrap(await reportPost(c.locals.claims, i)) }),
  hidePost: defineAction({ accept: 'form', input: postIdInput, handler: async (i, c) => unwrap(await moderatePost(c.locals.claims, i, true)) }),
  showPost: defineAction({ accept: 'form', input: postIdInput, handler: async (i, c) => unwrap(await moderatePost(c.locals.claims, i, false)) }),
  moderatePost: defineAction({
    accept: 'form',
    input: moderatePostInput,
    handler: async (i, c) => unwrap(await moderatePost(c.locals.claims, { post_id: i.post_id }, i.hidden === '1')),
  }),
};
