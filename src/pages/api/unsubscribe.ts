import type { APIRoute } from 'astro';
import { oneClickUnsubscribe } from '@/features/notifications/one-click.server.ts';
import { negotiateLocale } from '@/lib/i18n/index.ts';

/*
 * The address of the emails' `List-Unsubscribe` header. POST: RFC 8058's one-click (cross-site
 * posts are answered before Astro's same-origin check by `answerOneClick`, in scripts/serve.ts and
 * in the dev server's middleware: this route answers same-origin ones); GET (a client that opens
 * the address instead): the page that asks first.
 */
export const POST: APIRoute = async ({ url }) => {
  const r = await oneClickUnsubscribe(url);
  return new Response(r.body, { status: r.status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
};

export const GET: APIRoute = ({ url, request, redirect }) => {
  const locale = negotiateLocale(request.headers.get('accept-language'));
  return redirect(`/${locale}/unsubscribe?token=${encodeURIComponent(url.searchParams.get('token') ?? '')}`, 303);
};
