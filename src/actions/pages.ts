import { defineAction } from 'astro:actions';
import { updatePageInput } from '@/features/pages/pages.ts';
import { updatePage } from '@/features/pages/update-page.server.ts';
import { unwrap } from './unwrap.ts';

/** Actions of the pages feature: writing a page's body (sanitised by the input schema). */
export const pages = {
  updatePage: defineAction({ accept: 'form', input: updatePageInput, handler: async (i, c) => unwrap(await updatePage(c.locals.claims, i)) }),
};
