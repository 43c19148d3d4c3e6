import { Feed } from 'feed';
import { getConfig } from '../../lib/config.ts';
import { sanitizeHtml } from '../../lib/html/sanitize.ts';
import { translated } from '../../lib/i18n/translated.ts';
import type { BlogContext } from './route.server.ts';
import { feedPosts } from './queries.server.ts';
import { excerpt } from './blog.ts';
import { blogCatalog } from './messages/index.ts';

/**
 * A news component's feed, RSS 2.0 or Atom 1.0 (the `feed` library writes and escapes both): the
 * posts that are out and not hidden, as a signed-out visitor sees them (a private space's feed is
 * its members' only: the route answers 404 to anyone else, and feed readers do not sign in).
 */
export async function blogFeed(ctx: BlogContext, locale: 'fr' | 'en', format: 'rss' | 'atom'): Promise<Response> {
  const site = getConfig().siteUrl;
  const posts = await feedPosts(ctx.component.id);
  const tr = (v: unknown) => translated(v, locale, ctx.org.defaultLocale);
  const orgName = tr(ctx.org.name);
  const link = `${site}${ctx.base}`;
  const feed = new Feed({
    id: link,
    link,
    title: `${tr(ctx.component.name)} — ${tr(ctx.space.title)}`,
    description: blogCatalog[locale]['blog.feed.description'].replace('{space}', tr(ctx.space.title)),
    language: locale,
    updated: posts[0]?.updatedAt ?? new Date(0),
    generator: false,
    copyright: orgName,
    author: { name: orgName, link: site },
    feedLinks: { rss: `${link}/rss.xml`, atom: `${link}/atom.xml` },
  });
  for (const p of posts) {
    const html = sanitizeHtml(tr(p.body));
    feed.addItem({
      id: `${link}/posts/${p.id}`,
      link: `${link}/posts/${p.id}`,
      title: tr(p.title),
      description: excerpt(html),
      content: html,
      date: p.updatedAt,
      published: p.publishedAt,
      author: [{ name: p.author ? p.author.name : orgName }],
    });
  }
  const body = format === 'rss' ? feed.rss2() : feed.atom1();
  return new Response(body, {
    headers: {
      'content-type': format === 'rss' ? 'application/rss+xml; charset=utf-8' : 'application/atom+xml; charset=utf-8',
      // Readers poll: a few minutes of cache is fine, and scheduled posts come out on their time.
      'cache-control': 'public, max-age=300',
    },
  });
}
