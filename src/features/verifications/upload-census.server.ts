import { asUser, jsonb, type Claims } from '../../lib/db/index.ts';
import { guarded } from '../../lib/forms/db-errors.ts';
import { failure, notOk, ok, type Result } from '../../lib/forms/index.ts';
import { districtFinder } from './queries.server.ts';
import { detectSeparator, readCensusLines, type CensusLineError } from './verifications.ts';

/** Lines per batch: one transaction each, so a file of 100,000 lines shows its progress. */
export const CENSUS_BATCH = 2000;
export const CENSUS_MAX_BYTES = 50 * 1024 * 1024;

export interface ChunkResult {
  uploadId: string;
  added: number;
  refused: { line: number; code: CensusLineError }[];
}

/**
 * Adds a batch of the census file's raw lines to an upload (started with the first batch): each
 * line is read in TypeScript (columns, date, district by name) and the good ones hashed and
 * stored by the database (organization admins only; a person already in the census is refused
 * as a duplicate). The island sends the file this way, batch after batch, with its progress.
 */
export async function addCensusChunk(
  claims: Claims | null,
  input: { uploadId: string | null; fileName: string; lines: { line: number; text: string }[]; last: boolean; separator?: string },
): Promise<Result<ChunkResult>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  const districtOf = await districtFinder(claims);
  const sep = input.separator ?? detectSeparator(input.lines[0]?.text ?? '');
  const { ok: good, refused } = readCensusLines(input.lines, sep, districtOf);
  const r = await guarded(() =>
    asUser(claims, async (tx) => {
      let uploadId = input.uploadId;
      if (!uploadId) {
        const [row] = await tx<{ id: string }[]>`select public.census_start_upload(${input.fileName}) as id`;
        uploadId = row!.id;
      }
      // The lines refused here go too, as {line, code}: the upload records every refusal (numbers and reasons only).
      const payload = [
        ...good.map((l) => ({ line: l.line, identifier: l.identifier, birth_date: l.birthDate, district_id: l.districtId })),
        ...refused.map((x) => ({ line: x.line, code: x.code })),
      ];
      const [row] = await tx<{ refused: { line: number; code: CensusLineError }[] }[]>`
        select public.census_add_lines(${uploadId}, ${jsonb(tx, payload)}, ${input.last}) as refused`;
      const all = (row?.refused ?? []).map((x) => ({ line: Number(x.line), code: x.code }));
      return { uploadId, added: payload.length - all.length, refused: all.sort((a, b) => a.line - b.line) };
    }),
  );
  return r.ok ? ok(r.value) : notOk(r.failure);
}

/** The whole file at once (a form posted without JavaScript): the same batches, one after the other. */
export async function uploadCensusFile(claims: Claims | null, file: File): Promise<Result<{ added: number; refused: { line: number; code: CensusLineError }[] }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  if (file.size === 0 || file.size > CENSUS_MAX_BYTES) return notOk(failure(422, 'verifications.error.file', { field: 'file' }));
  const text = (await file.text()).replace(/^\uFEFF/, '');
  const all = text.split(/\r?\n/).map((t, i) => ({ line: i + 1, text: t }));
  const separator = detectSeparator(all[0]?.text ?? '');
  let uploadId: string | null = null;
  let added = 0;
  const refused: { line: number; code: CensusLineError }[] = [];
  for (let i = 0; i < all.length || uploadId === null; i += CENSUS_BATCH) {
    const batch = all.slice(i, i + CENSUS_BATCH);
    const r = await addCensusChunk(claims, { uploadId, fileName: file.name, lines: batch, last: i + CENSUS_BATCH >= all.length, separator });
    if (!r.ok) return notOk(r.failure);
    uploadId = r.value.uploadId;
    added += r.value.added;
    refused.push(...r.value.refused);
    if (i + CENSUS_BATCH >= all.length) break;
  }
  return ok({ added, refused });
}

/** Removes the unclaimed census lines (organization admins; confirmed first; logged). */
export async function clearCensus(claims: Claims | null): Promise<Result<{ removed: number }>> {
  if (!claims) return notOk(failure(401, 'error.unauthorized'));
  const r = await guarded(() => asUser(claims, async (tx) => (await tx<{ n: number }[]>`select public.census_clear_unclaimed() as n`)[0]?.n ?? 0));
  return r.ok ? ok({ removed: r.value }) : notOk(r.failure);
}
