import type { APIRoute } from 'astro';
import { parseDocumentName } from '../../../../realtime/names.ts';
import { documentAccess } from '@/lib/collab/history.server.ts';
import { privateJson } from '@/lib/http/json.ts';

/**
 * What the signed-in visitor may do with a co-edited document now: `{"access": "write" | "read" |
 * null}`, asked of Postgres as that visitor through the same function the co-editing service asks
 * (private.collab_access), so both always agree. The service drops a read-only connection's
 * updates without a word on the wire; the editor island asks here (when it connects, then every
 * few seconds) to tell its user in words and stop offering to edit.
 */
export const GET: APIRoute = async ({ locals, url }) => {
  const document = url.searchParams.get('document') ?? '';
  if (!parseDocumentName(document)) return privateJson({ error: 'document-name-invalid' }, 400);
  if (!locals.user || !locals.claims) return privateJson({ access: null });
  return privateJson({ access: await documentAccess(locals.claims, document) });
};
