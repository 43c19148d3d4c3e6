import { defineAction } from 'astro:actions';
import { addComment } from '@/features/comments/add-comment.server.ts';
import {
  addCommentInput,
  commentIdInput,
  editCommentInput,
  hideCommentInput,
  officialAnswerInput,
  reportCommentInput,
  voteCommentInput,
} from '@/features/comments/comments.ts';
import { deleteComment } from '@/features/comments/delete-comment.server.ts';
import { editComment } from '@/features/comments/edit-comment.server.ts';
import { hideComment } from '@/features/comments/hide-comment.server.ts';
import { markOfficialAnswer } from '@/features/comments/mark-official-answer.server.ts';
import { reportComment } from '@/features/comments/report-comment.server.ts';
import { voteComment } from '@/features/comments/vote-comment.server.ts';
import { confirmed } from '@/lib/forms/confirm.ts';
import { unwrap } from './unwrap.ts';

/** Actions of the comments feature (forms without JavaScript, and the island). */
export const comments = {
  addComment: defineAction({ accept: 'form', input: addCommentInput, handler: async (i, c) => unwrap(await addComment(c.locals.claims, i)) }),
  editComment: defineAction({ accept: 'form', input: editCommentInput, handler: async (i, c) => unwrap(await editComment(c.locals.claims, i)) }),
  deleteComment: defineAction({ accept: 'form', input: confirmed(commentIdInput), handler: async (i, c) => unwrap(await deleteComment(c.locals.claims, i)) }),
  voteComment: defineAction({ accept: 'form', input: voteCommentInput, handler: async (i, c) => unwrap(await voteComment(c.locals.claims, i)) }),
  reportComment: defineAction({ accept: 'form', input: reportCommentInput, handler: async (i, c) => unwrap(await reportComment(c.locals.claims, i)) }),
  hideComment: defineAction({ accept: 'form', input: hideCommentInput, handler: async (i, c) => unwrap(await hideComment(c.locals.claims, i)) }),
  markOfficialAnswer: defineAction({
    accept: 'form',
    input: officialAnswerInput,
    handler: async (i, c) => unwrap(await markOfficialAnswer(c.locals.claims, i)),
  }),
};
