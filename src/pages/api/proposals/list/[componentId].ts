import type { APIRoute } from 'astro';
import { LIST_PAGE_SIZE, parseListParams } from '@/features/proposals/list.ts';
import { listedCounts, listProposalsWithPoints } from '@/features/proposals/list-queries.server.ts';
import { proposalsCatalog } from '@/features/proposals/messages/index.ts';
import { proposalHref } from '@/features/proposals/proposals.ts';
import { isLocale, useTranslations } from '@/lib/i18n/index.ts';
import { isUuid } from '@/lib/ids.ts';
import { privateJson } from '@/lib/http/json.ts';

/**
 * The list of a proposals component as JSON, as the visitor sees it: the same parameters as the
 * page (q, taxonomy, state, answer, mine, supported, withdrawn, s/w/n/e, lat/lng/radius, sort,
 * seed, after), plus `size` (1–200), `points=1` for every matching point of the map (up to the
 * cap), `space` (the space's path, for the links) and `ids` (up to 200: their counts, if they are
 * still in the list). Bad parameters: 400 with a code, the names
 * and a translated message; an unknown or invisible component: 404.
 */
export const GET: APIRoute = async ({ params, url, locals }) => {
  const localeParam = url.searchParams.get('locale');
  const t = useTranslations(isLocale(localeParam) ? localeParam : locals.locale, proposalsCatalog);
  const componentId = params['componentId'] ?? '';
  if (!isUuid(componentId)) return privateJson({ error: { code: 'not_found', message: t('proposals.list.error.notFound') } }, 404);
  const parsed = parseListParams(url.searchParams);
  const invalid = [...parsed.invalid];
  const sizeParam = url.searchParams.get('size');
  const size = sizeParam === null ? LIST_PAGE_SIZE : Number(sizeParam);
  if (!Number.isInteger(size) || size < 1 || size > 200) invalid.push('size');
  const pointsParam = url.searchParams.get('points');
  if (pointsParam !== null && pointsParam !== '0' && pointsParam !== '1') invalid.push('points');
  const space = url.searchParams.get('space');
  if (space !== null && !/^\/(fr|en)\/(processes|assemblies)\/[a-z0-9-]{1,80}$/.test(space)) invalid.push('space');
  // `ids`: the cards a page shows, for their current counts (a reconnected island catching up).
  const idsParam = url.searchParams.get('ids');
  const ids = idsParam ? idsParam.split(',') : [];
  if (ids.length > 200 || ids.some((id) => !isUuid(id))) invalid.push('ids');
  if (invalid.length > 0) {
    const names = [...new Set(invalid)];
    return privateJson({ error: { code: 'invalid_params', params: names, message: t('proposals.list.error.params', { names: names.join(', ') }) } }, 400);
  }
  const result = await listProposalsWithPoints(locals.claims, componentId, parsed.filters, parsed.cursor, {
    pageSize: size,
    points: pointsParam === '1',
  });
  if (!result) return privateJson({ error: { code: 'not_found', message: t('proposals.list.error.notFound') } }, 404);
  const { page, points } = result;
  const counts = ids.length > 0 ? await listedCounts(locals.claims, componentId, ids, parsed.filters) : null;
  const href = (id: string) => (space ? proposalHref(space, componentId, id) : null);
  return privateJson(
    {
      total: page.total,
      next: page.next,
      sort: page.sort,
      seed: page.seed,
      votesHidden: page.votesHidden,
      items: page.items.map((i) => ({
        id: i.id,
        number: i.number,
        title: i.title,
        href: href(i.id),
        official: i.official,
        withdrawn: i.withdrawn,
        state: i.state?.token ?? null,
        taxonomyId: i.taxonomy?.id ?? null,
        supports: i.supports,
        likes: i.likes,
        comments: i.comments,
        follows: i.follows,
        lat: i.lat,
        lng: i.lng,
      })),
      ...(counts ? { counts } : {}),
      ...(points
        ? {
            points: points.points.map((p) => ({ ...p, href: href(p.id) ?? '#' })),
            truncated: points.truncated,
          }
        : {}),
    },
    200,
  );
};
