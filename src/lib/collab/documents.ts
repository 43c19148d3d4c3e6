import { loadDocument } from '../../../realtime/persistence.ts';
import { sql } from '../db/index.ts';
import { sanitizeUserHtml } from '../html/sanitize.ts';
import { documentHtml } from './html.ts';

/**
 * What a co-edited document says now, as sanitised HTML, read from the co-editing service's
 * storage (snapshot + tail). The storage schema is the service's (no API role reaches it), so
 * this reads with the platform's own connection: callers must have checked, as the user, that
 * the user may read the resource the document belongs to (its row was visible to them).
 */
export async function storedDocumentHtml(name: string): Promise<string | null> {
  const { update } = await loadDocument(sql(), name);
  if (!update) return null;
  return sanitizeUserHtml(documentHtml(update));
}
