import type { Claims } from '../../lib/db/index.ts';
import type { Locale } from '../../lib/i18n/locales.ts';
import { unfinishedBallots } from './queries.server.ts';
export { default as Component } from './SpaceNotice.astro';

/**
 * The space's notice: the person's ballots with projects chosen but not checked out, while the
 * vote is open (Decidim's known problem: a fifth of ballots never confirmed). Null when none.
 */
export async function read(claims: Claims, spaceId: string, _locale: Locale) {
  const rows = await unfinishedBallots(claims, spaceId);
  return rows.length > 0 ? rows.map((r) => ({ budgetId: r.budget_id, componentId: r.component_id, title: r.title, count: r.lines_count, total: Number(r.total) })) : null;
}
