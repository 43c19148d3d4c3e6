import type { OpenDataContext, OpenDataFormat } from '../../lib/components/manifest.ts';
import { csvResponse, toCsv } from '../../lib/csv.ts';
import { DEBATE_COLUMNS, openDataDebates } from './export.server.ts';

/**
 * Open data: the organization's public debates (read as an anonymous visitor); the JSON carries
 * their arguments too, the CSV one line per debate.
 */
export async function openDataResponse(format: OpenDataFormat, ctx: OpenDataContext): Promise<Response> {
  const data = await openDataDebates(ctx);
  if (format === 'json') {
    return new Response(JSON.stringify(data, null, 2), {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': 'attachment; filename="debates.json"',
        'cache-control': 'public, max-age=300',
        'x-content-type-options': 'nosniff',
      },
    });
  }
  const res = csvResponse(toCsv(DEBATE_COLUMNS, data.debates as unknown as Record<string, unknown>[]), 'debates.csv');
  res.headers.set('cache-control', 'public, max-age=300');
  return res;
}
