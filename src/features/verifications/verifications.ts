import { z } from 'zod';
import { confirmed } from '../../lib/forms/confirm.ts';
import { uuidInput } from '../../lib/forms/fields.ts';
import type { Labels } from '../../lib/components/settings.ts';

/*
 * Verifications (Decidim's authorizations), the platform's part: the methods, their names, the
 * census file's format. Pure: no server imports. The database holds every rule
 * (…060000_core_verifications.sql): hashes only, one account per census line, the rate limit,
 * who grants and revokes, and `component_allows` refusing unverified people where a component's
 * action requires it.
 */

/** The methods the database knows (`public.verification_methods`), with their names. */
export const METHODS = ['census', 'direct'] as const;
export type Method = (typeof METHODS)[number];
export const METHOD_LABELS: Readonly<Record<Method, Labels>> = {
  census: { fr: 'Habitant·e vérifié·e par le recensement', en: 'Resident verified against the census' },
  direct: { fr: 'Vérification accordée par un·e administrateur·rice (guichet)', en: 'Verification granted by an admin (help desk)' },
};

export const IDENTIFIER_MAX = 64;

/** What a resident types to verify themselves against the census. */
export const censusClaimInput = z.object({
  identifier: z.string({ message: 'validation.required' }).trim().min(1, { message: 'validation.required' }).max(IDENTIFIER_MAX),
  birth_date: z
    .string({ message: 'validation.required' })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'validation.date' }),
  next: z.string().max(2000).nullish(),
});
export type CensusClaimInput = z.infer<typeof censusClaimInput>;

/** An organization admin grants a verification directly (help desk), with the person's district. */
export const grantInput = z.object({
  person: z.string({ message: 'validation.required' }).trim().min(1, { message: 'validation.required' }).max(320),
  district_id: z
    .union([z.uuid({ message: 'validation.invalid' }), z.literal('')])
    .nullish()
    .transform((v) => (v ? v : null)),
});
export type GrantInput = z.infer<typeof grantInput>;

export const revokeInput = confirmed(
  z.object({
    person: z.string({ message: 'validation.required' }).trim().min(1, { message: 'validation.required' }).max(320),
    method: z.enum(METHODS, { message: 'validation.invalid_choice' }),
  }),
);
export type RevokeInput = z.infer<typeof revokeInput>;

export const clearCensusInput = confirmed(z.object({}));

/** The permissions of a component's actions: `permissions.<action>` checkboxes of methods. */
export function permissionsFromForm(form: FormData, actions: readonly string[]): Record<string, Method[]> {
  const out: Record<string, Method[]> = {};
  for (const a of actions) {
    const methods = form.getAll(`permissions.${a}`).filter((v): v is Method => typeof v === 'string' && (METHODS as readonly string[]).includes(v));
    if (methods.length > 0) out[a] = [...new Set(methods)];
  }
  return out;
}

export const uploadChunkInput = z.object({
  upload_id: uuidInput.nullish(),
  file_name: z.string().max(255).default(''),
  /** The file's lines, numbered as in the file (1 is the first). */
  lines: z.array(z.object({ line: z.number().int().min(1), text: z.string().max(2000) })).max(5000),
  last: z.boolean().default(false),
});

// --- The census file -----------------------------------------------------------------------------

/** Why a line of the census file was refused (never what it held). */
export type CensusLineError = 'columns' | 'identifier' | 'birth_date' | 'district' | 'duplicate' | 'invalid';

export interface CensusLine {
  line: number;
  identifier: string;
  birthDate: string;
  district: string;
}

/** `;`, `,` or tab, as the header (or the first line) shows. */
export function detectSeparator(firstLine: string): string {
  const counts = [';', ',', '\t'].map((s) => [s, firstLine.split(s).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ';';
}

function splitCells(text: string, sep: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === sep) {
      out.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  out.push(cell.trim());
  return out;
}

/** A date of birth as `YYYY-MM-DD` (ISO) or `DD/MM/YYYY` (French), or null. */
export function parseBirthDate(text: string): string | null {
  const v = text.trim();
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else {
    match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v);
    if (!match) return null;
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  if (y < 1900 || date.getTime() > Date.now()) return null;
  return date.toISOString().slice(0, 10);
}

const HEADER = /^(identifi|num[ée]ro|document|id\b|identifier)/i;

/**
 * Reads numbered raw lines of the census file (identifier, date of birth, district) against the
 * districts the platform knows (`districtOf` finds a taxonomy by name or id): the good lines, and
 * the refused ones with their reason. A first line that reads as a header is skipped.
 */
export function readCensusLines(
  lines: readonly { line: number; text: string }[],
  sep: string,
  districtOf: (name: string) => string | null | undefined,
): { ok: (CensusLine & { districtId: string | null })[]; refused: { line: number; code: CensusLineError }[] } {
  const ok: (CensusLine & { districtId: string | null })[] = [];
  const refused: { line: number; code: CensusLineError }[] = [];
  for (const { line, text } of lines) {
    if (text.trim() === '') continue;
    const cells = splitCells(text.replace(/^\uFEFF/, ''), sep);
    if (line === 1 && HEADER.test(cells[0] ?? '') && parseBirthDate(cells[1] ?? '') === null) continue;
    if (cells.length < 2 || cells.length > 3) {
      refused.push({ line, code: 'columns' });
      continue;
    }
    const [identifier = '', birth = '', district = ''] = cells;
    if (identifier.replace(/[\s.\-_/]/g, '').length === 0 || identifier.length > IDENTIFIER_MAX) {
      refused.push({ line, code: 'identifier' });
      continue;
    }
    const birthDate = parseBirthDate(birth);
    if (!birthDate) {
      refused.push({ line, code: 'birth_date' });
      continue;
    }
    let districtId: string | null = null;
    if (district.trim() !== '') {
      const found = districtOf(district.trim());
      if (!found) {
        refused.push({ line, code: 'district' });
        continue;
      }
      districtId = found;
    }
    ok.push({ line, identifier, birthDate, district, districtId });
  }
  return { ok, refused };
}
