import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { insertVersion, restoreUpdate, type VersionKind } from '../../../realtime/history.ts';
import { parseDocumentName } from '../../../realtime/names.ts';
import { appendUpdates, foldUpdates, loadDocument } from '../../../realtime/persistence.ts';
import { asUser, sql, type Claims } from '../db/index.ts';
import { sanitizeUserHtml } from '../html/sanitize.ts';
import { documentText, textDiff, type DiffPart } from './history.ts';
import { documentHtml } from './html.ts';

/**
 * The history of a co-edited document for the site (the API route the history panel calls).
 * Every function first asks Postgres, as the person (`private.collab_access`, the same question
 * the co-editing service asks when they connect), what they may do with the document: read access
 * sees the versions, only write access names or restores. Only then does it touch the service's
 * storage (schema `collab`, which no API role can reach) with the platform's own connection.
 * A restore is a new change written exactly as the service writes one (durable, then NOTIFY), so
 * every instance applies it and relays it to its clients.
 */

export type DocumentAccess = 'read' | 'write';

export type HistoryResult<T> = { ok: true; value: T } | { ok: false; error: 'bad_request' | 'not_found' | 'forbidden' | 'name_invalid' | 'too_many' };

export interface VersionSummary {
  id: string;
  kind: VersionKind;
  name: string | null;
  createdAt: string;
  authors: string[];
  createdBy: string | null;
  restoredFrom: string | null;
}

/** The instance id the site writes restores under (the service instances relay them: not theirs). */
const SITE_INSTANCE = `site-${randomUUID()}`;
const MAX_VERSIONS = 200;
const NAMED_PER_MINUTE = 10;

export async function documentAccess(claims: Claims | null | undefined, document: string): Promise<DocumentAccess | null> {
  const name = parseDocumentName(document);
  if (!name || !claims?.sub) return null;
  return asUser(claims, async (tx) => {
    const [row] = await tx<{ access: DocumentAccess | null }[]>`
      select private.collab_access(${name.feature}, ${name.resourceId}::uuid, ${name.field}) as access`;
    return row?.access ?? null;
  });
}

/** Display names of people, as the reader may see them (profiles' RLS). */
async function namesOf(claims: Claims, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  return asUser(claims, async (tx) => {
    const rows = await tx<{ id: string; name: string }[]>`select id, name from public.profiles where id = any(${ids}::uuid[])`;
    return new Map(rows.map((r) => [r.id, r.name]));
  });
}

export async function listVersions(claims: Claims | null | undefined, document: string): Promise<HistoryResult<{ access: DocumentAccess; versions: VersionSummary[] }>> {
  const access = await documentAccess(claims, document);
  if (!access || !claims) return { ok: false, error: 'not_found' };
  const rows = await sql()<{ id: string; kind: VersionKind; name: string | null; created_at: Date; authors: string[]; created_by: string | null; restored_from: string | null }[]>`
    select id::text, kind, name, created_at, authors::text[] as authors, created_by::text, restored_from::text
    from collab.versions v where v.document = ${document} order by v.id desc limit ${MAX_VERSIONS}`;
  const names = await namesOf(claims, [...new Set(rows.flatMap((r) => [...r.authors, ...(r.created_by ? [r.created_by] : [])]))]);
  const nameOf = (id: string) => names.get(id) ?? '—';
  return {
    ok: true,
    value: {
      access,
      versions: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        name: r.name,
        createdAt: r.created_at.toISOString(),
        authors: r.authors.map(nameOf),
        createdBy: r.created_by ? nameOf(r.created_by) : null,
        restoredFrom: r.restored_from,
      })),
    },
  };
}

async function versionState(document: string, id: string): Promise<Uint8Array | null> {
  if (!/^[1-9][0-9]{0,17}$/.test(id)) return null;
  const [row] = await sql()<{ state: Buffer }[]>`select state from collab.versions where id = ${id}::bigint and document = ${document}`;
  return row ? new Uint8Array(row.state) : null;
}

/** A version as the site renders rich text (sanitised HTML). */
export async function versionHtml(claims: Claims | null | undefined, document: string, id: string): Promise<HistoryResult<{ html: string }>> {
  if (!(await documentAccess(claims, document))) return { ok: false, error: 'not_found' };
  const state = await versionState(document, id);
  if (!state) return { ok: false, error: 'not_found' };
  return { ok: true, value: { html: sanitizeUserHtml(documentHtml(state)) } };
}

/** The differences from one version to another (`current`: the text as it is now). */
export async function versionDiff(claims: Claims | null | undefined, document: string, from: string, to: string): Promise<HistoryResult<{ parts: DiffPart[] }>> {
  if (!(await documentAccess(claims, document))) return { ok: false, error: 'not_found' };
  const stateOf = async (id: string) => (id === 'current' ? ((await loadDocument(sql(), document)).update ?? new Uint8Array([0, 0])) : versionState(document, id));
  const [a, b] = await Promise.all([stateOf(from), stateOf(to)]);
  if (!a || !b) return { ok: false, error: 'not_found' };
  return { ok: true, value: { parts: textDiff(documentText(a), documentText(b)) } };
}

const emptyState = () => Y.encodeStateAsUpdate(new Y.Doc());

/** Names the document as it is now (what everybody connected has: only durable updates are relayed). */
export async function nameVersion(claims: Claims | null | undefined, document: string, name: string): Promise<HistoryResult<{ id: string }>> {
  const access = await documentAccess(claims, document);
  if (!access || !claims?.sub) return { ok: false, error: 'not_found' };
  if (access !== 'write') return { ok: false, error: 'forbidden' };
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100 || /[\p{Cc}\uFFFD]/u.test(trimmed)) return { ok: false, error: 'name_invalid' };
  // Each version is a whole copy of the text: a person names a few a minute at most.
  const [recent] = await sql()<{ n: number }[]>`
    select count(*)::int as n from collab.versions
    where document = ${document} and created_by = ${claims.sub} and kind = 'named' and created_at > now() - interval '1 minute'`;
  if ((recent?.n ?? 0) >= NAMED_PER_MINUTE) return { ok: false, error: 'too_many' };
  const state = (await loadDocument(sql(), document)).update ?? emptyState();
  const id = await insertVersion(sql(), { document, kind: 'named', name: trimmed, state, authors: [], createdBy: claims.sub });
  return { ok: true, value: { id } };
}

/**
 * Makes the document read as a version again: one new change on top of the stored state, stored
 * and announced in one transaction (as the service stores an edit), and a `restore` version.
 */
export async function restoreVersion(claims: Claims | null | undefined, document: string, id: string): Promise<HistoryResult<{ id: string }>> {
  const access = await documentAccess(claims, document);
  if (!access || !claims?.sub) return { ok: false, error: 'not_found' };
  if (access !== 'write') return { ok: false, error: 'forbidden' };
  const state = await versionState(document, id);
  if (!state) return { ok: false, error: 'not_found' };
  const current = (await loadDocument(sql(), document)).update;
  const update = restoreUpdate(current, state);
  const after = foldUpdates([...(current ? [current] : []), update]);
  const userId = claims.sub;
  const versionId = await sql().begin(async (tx) => {
    await appendUpdates(tx, SITE_INSTANCE, [{ document, data: update }]);
    return insertVersion(tx, { document, kind: 'restore', state: after, authors: [userId], createdBy: userId, restoredFrom: id });
  });
  return { ok: true, value: { id: versionId } };
}
