import type { APIRoute } from 'astro';
import { canEnterAdmin, getAdminAccess } from '@/features/admin/access.server.ts';
import { getNewsletter } from '@/features/newsletters/queries.server.ts';
import { loadLetterLookups, RECIPIENT, renderLetter } from '@/features/newsletters/render.server.ts';
import { getConfig } from '@/lib/config.ts';
import { asUser } from '@/lib/db/index.ts';
import { isLocale } from '@/lib/i18n/index.ts';

/**
 * A letter exactly as its recipients get it, in one language (the very rendering the workers
 * send), for the organization's admins; the unsubscribe link points nowhere in a preview.
 */
export const GET: APIRoute = async ({ locals, params }) => {
  const access = await getAdminAccess(locals.claims).catch(() => null);
  if (!access?.orgAdmin || !canEnterAdmin(access)) return new Response('Forbidden', { status: 403 });
  const lang = params.lang;
  const letter = await getNewsletter(locals.claims, params.id ?? '');
  if (!letter || !isLocale(lang)) return new Response('Not found', { status: 404 });
  const lookups = await asUser(locals.claims, (tx) => loadLetterLookups(tx, letter));
  const rendered = await renderLetter(letter, lang, lookups, getConfig().siteUrl);
  const html = rendered.html.replaceAll(RECIPIENT, '#');
  return new Response(html, {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'private, no-store',
      // An email, shown as such: no script runs in it, nothing loads but its images.
      'content-security-policy': "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; frame-ancestors 'self'",
    },
  });
};
