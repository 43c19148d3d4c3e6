import type { OpenDataContext, OpenDataFormat } from '../../lib/components/manifest.ts';
import { csvResponse, EXPORT_COLUMNS, jsonResponse, toCsv } from './export.ts';
import { openDataProposals } from './export.server.ts';

/** Open data: the organization's public proposals (read as an anonymous visitor), as CSV or JSON. */
export async function openDataResponse(format: OpenDataFormat, ctx: OpenDataContext): Promise<Response> {
  const rows = await openDataProposals(ctx);
  if (format === 'json') return jsonResponse(rows, 'proposals.json', true);
  const res = csvResponse(toCsv(EXPORT_COLUMNS, rows as unknown as Record<string, unknown>[]), 'proposals.csv');
  res.headers.set('cache-control', 'public, max-age=300');
  return res;
}
