import type { APIRoute } from 'astro';
import { blogFeed } from '@/features/blog/feed.server.ts';
import { blogContext } from '@/features/blog/route.server.ts';
import { isLocale } from '@/lib/i18n/index.ts';

/** A news component's Atom 1.0 feed (404 for any other component, or a space the visitor may not see). */
export const GET: APIRoute = async ({ locals, params }) => {
  const ctx = await blogContext({ locals, params });
  if (!ctx || !isLocale(params.locale)) return new Response('Not found', { status: 404 });
  return blogFeed(ctx, params.locale, 'atom');
};
