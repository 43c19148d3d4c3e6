import type { IncomingMessage, ServerResponse } from 'node:http';
import { getConfig } from '../../lib/config.ts';
import { newsletterUnsubscribeScope } from '../newsletters/unsubscribe.server.ts';
import { notificationUnsubscribeScope, unsubscribe, type UnsubscribeScope } from './unsubscribe.server.ts';

/** Every kind of email a link can take someone off (the notifications' and the newsletter's). */
export const UNSUBSCRIBE_SCOPES: readonly UnsubscribeScope[] = [notificationUnsubscribeScope, newsletterUnsubscribeScope];

/** Where RFC 8058 one-click requests arrive (`List-Unsubscribe: <…/api/unsubscribe?token=…>`). */
export const ONE_CLICK_PATH = '/api/unsubscribe';

/**
 * RFC 8058 one-click unsubscribe: a POST from the mail provider (cross-site, no cookies, body
 * `List-Unsubscribe=One-Click`) to the address in the email's header. The signed token in the
 * address is the whole authorisation and the change is idempotent, so it answers 200 whoever
 * posts, and 400 for a token that is not valid.
 */
export async function oneClickUnsubscribe(url: URL): Promise<{ status: number; body: string }> {
  const claim = await unsubscribe(getConfig().jwtSecret, url.searchParams.get('token'), UNSUBSCRIBE_SCOPES);
  return claim ? { status: 200, body: 'unsubscribed\n' } : { status: 400, body: 'invalid token\n' };
}

/**
 * Answers a one-click POST on the Node server in front of Astro, before Astro's same-origin
 * check (which rightly refuses every other cross-site form post): the production server
 * (scripts/serve.ts) and the dev server (a Vite middleware in astro.config.mjs) both call it, so
 * `npm run dev` and `npm start` answer the mail providers alike. False when the request is not one.
 */
export function answerOneClick(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== ONE_CLICK_PATH) return false;
  // The body (`List-Unsubscribe=One-Click`) says nothing the address does not: drained unread.
  req.resume();
  void oneClickUnsubscribe(new URL(req.url ?? '/', 'http://localhost')).then(
    (r) => {
      res.writeHead(r.status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(r.body);
    },
    () => {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end('unavailable\n');
    },
  );
  return true;
}
