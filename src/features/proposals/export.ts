import { htmlToText } from '../../lib/html/sanitize.ts';

/*
 * Exports of proposals (admin CSV/JSON, open data): pure formatting, no server imports. The CSV
 * itself (BOM, CRLF, quoting, the formula guard) is src/lib/csv.ts.
 */

export interface ExportedProposal {
  id: string;
  number: number;
  title: string;
  body: string;
  state: string | null;
  state_name: string | null;
  answer: string | null;
  /** Null while the component's active phase hides supports. */
  supports: number | null;
  likes: number;
  comments: number;
  follows: number;
  taxonomy: string | null;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  authors: string[];
  official: boolean;
  withdrawn: boolean;
  published_at: string | null;
  url: string;
  /** Admin exports only: the internal answer's state and whether it is published. */
  internal_state?: string | null;
  answer_published?: boolean;
}

export const EXPORT_COLUMNS = [
  'id',
  'number',
  'title',
  'body',
  'state',
  'state_name',
  'answer',
  'supports',
  'likes',
  'comments',
  'follows',
  'taxonomy',
  'address',
  'latitude',
  'longitude',
  'authors',
  'official',
  'withdrawn',
  'published_at',
  'url',
] as const;
export const ADMIN_EXPORT_COLUMNS = [...EXPORT_COLUMNS, 'internal_state', 'answer_published'] as const;

/** Plain text of a stored HTML body or answer. */
export function plainText(html: string | null | undefined): string {
  return htmlToText(html ?? '');
}

// CSV is the platform's (src/lib/csv.ts); re-exported for the proposals pages that use it.
export { csvCell, csvResponse, toCsv } from '../../lib/csv.ts';

export function jsonResponse(body: unknown, filename: string, publicCache = false): Response {
  return new Response(JSON.stringify(body, null, 2), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': publicCache ? 'public, max-age=300' : 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
