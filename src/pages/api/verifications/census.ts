import type { APIRoute } from 'astro';
import { z } from 'zod';
import { addCensusChunk } from '@/features/verifications/upload-census.server.ts';
import { detectSeparator } from '@/features/verifications/verifications.ts';
import { privateJson } from '@/lib/http/json.ts';

const body = z.object({
  upload_id: z.uuid().nullish(),
  file_name: z.string().max(255).default(''),
  lines: z.array(z.object({ line: z.number().int().min(1), text: z.string().max(2000) })).max(5000),
  last: z.boolean().default(false),
  /** The file's first line, to read the separator the same way in every batch. */
  separator_line: z.string().max(2000).default(''),
});

/**
 * A batch of the census file from the admin page's island (organization admins: the database
 * says no to anyone else). JSON in and out; a cross-site page cannot send JSON without a CORS
 * preflight, and the Origin is checked too.
 */
export const POST: APIRoute = async ({ request, locals, url }) => {
  if (!locals.claims) return privateJson({ error: 'unauthorized' }, 401);
  const origin = request.headers.get('origin');
  if (origin && origin !== url.origin) return privateJson({ error: 'forbidden' }, 403);
  if (!(request.headers.get('content-type') ?? '').startsWith('application/json')) return privateJson({ error: 'unsupported_media_type' }, 415);
  let parsed;
  try {
    parsed = body.safeParse(await request.json());
  } catch {
    return privateJson({ error: 'bad_request' }, 400);
  }
  if (!parsed.success) return privateJson({ error: 'bad_request' }, 400);
  const p = parsed.data;
  const r = await addCensusChunk(locals.claims, {
    uploadId: p.upload_id ?? null,
    fileName: p.file_name,
    lines: p.lines,
    last: p.last,
    separator: detectSeparator(p.separator_line || (p.lines[0]?.text ?? '')),
  });
  if (!r.ok) return privateJson({ error: r.failure.message.key }, r.failure.status);
  return privateJson(r.value);
};
