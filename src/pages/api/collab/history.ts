import type { APIRoute } from 'astro';
import { z } from 'zod';
import { requestOrganization } from '@/features/organization/queries.server.ts';
import { listVersions, nameVersion, restoreVersion, versionDiff, versionHtml, type HistoryResult } from '@/lib/collab/history.server.ts';
import { privateJson as json } from '@/lib/http/json.ts';
import { formatInstant } from '@/lib/i18n/dates.ts';

/**
 * The history of a co-edited document (src/components/collab/CollabHistory.tsx calls it).
 * GET `?document=<name>[&locale=fr|en]`: the versions, newest first, times in the organization's
 * zone; `&version=<id>`: one version as HTML; `&from=<id>&to=<id|current>`: the differences.
 * POST `{ document, action: 'name', name }` or `{ document, action: 'restore', version }`.
 * Postgres decides, as the visitor, who may do what (src/lib/collab/history.server.ts): read
 * access sees, only write access names or restores (403 `forbidden` otherwise).
 */

const STATUS = { bad_request: 400, not_found: 404, forbidden: 403, name_invalid: 422, too_many: 429 } as const;

function answer<T>(result: HistoryResult<T>): Response {
  return result.ok ? json(result.value, 200) : json({ error: result.error }, STATUS[result.error]);
}

const versionId = z.string().regex(/^[1-9][0-9]{0,17}$/);
const document = z.string().min(1).max(200);

export const GET: APIRoute = async ({ url, locals }) => {
  const doc = document.safeParse(url.searchParams.get('document') ?? '');
  if (!doc.success) return json({ error: 'bad_request' }, 400);
  const version = url.searchParams.get('version');
  if (version !== null) {
    if (!versionId.safeParse(version).success) return json({ error: 'bad_request' }, 400);
    return answer(await versionHtml(locals.claims, doc.data, version));
  }
  const from = url.searchParams.get('from');
  const to = url.searchParams.get('to');
  if (from !== null || to !== null) {
    if (!versionId.safeParse(from).success || !(to === 'current' || versionId.safeParse(to).success)) return json({ error: 'bad_request' }, 400);
    return answer(await versionDiff(locals.claims, doc.data, from!, to!));
  }
  const result = await listVersions(locals.claims, doc.data);
  if (!result.ok) return answer(result);
  const locale = url.searchParams.get('locale') === 'en' ? 'en' : 'fr';
  const { timeZone } = await requestOrganization(locals);
  return json({
    access: result.value.access,
    versions: result.value.versions.map((v) => ({ ...v, time: formatInstant(v.createdAt, locale, timeZone, 'dateTime') })),
  });
};

const postInput = z.discriminatedUnion('action', [
  z.object({ action: z.literal('name'), document, name: z.string().max(1000) }),
  z.object({ action: z.literal('restore'), document, version: versionId }),
]);

export const POST: APIRoute = async ({ request, locals }) => {
  // JSON only: another site cannot send it without a CORS preflight, which this route never grants.
  if (!(request.headers.get('content-type') ?? '').startsWith('application/json')) return json({ error: 'bad_request' }, 415);
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return json({ error: 'bad_request' }, 400);
  }
  const input = postInput.safeParse(body);
  if (!input.success) return json({ error: 'bad_request' }, 400);
  const v = input.data;
  return answer(v.action === 'name' ? await nameVersion(locals.claims, v.document, v.name) : await restoreVersion(locals.claims, v.document, v.version));
};
