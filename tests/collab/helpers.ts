import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import * as decoding from 'lib0/decoding';
import type postgres from 'postgres';
import { inject } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { MESSAGE_ACCESS } from '../../realtime/server.ts';

/**
 * Fixtures for the co-editing service's tests: tokens signed as the local Auth signs them, a
 * document kind of their own (`collabprobe/<id>/body`, rights in a table the test fills), and the
 * unchanged y-websocket provider in Node.
 */

export const PROBE = 'collabprobe';

export async function signToken(sub: string, opts: { expiresIn?: string | number; role?: string; secret?: string } = {}): Promise<string> {
  const secret = new TextEncoder().encode(opts.secret ?? inject('stack').jwtSecret);
  return new SignJWT({ role: opts.role ?? 'authenticated', aud: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '1h')
    .sign(secret);
}

/**
 * The probe kind: 'read'/'write' from a table, as the user (auth.uid()). Created once; idempotent so
 * test files may race to create it.
 */
export async function ensureProbeKind(sql: postgres.Sql): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(7212)`;
    await tx.unsafe(`
      create schema if not exists collabprobe;
      grant usage on schema collabprobe to anon, authenticated;
      create table if not exists collabprobe.rights (resource uuid, user_id uuid, access text, primary key (resource, user_id));
      alter table collabprobe.rights enable row level security;
      create or replace function collabprobe.access(resource uuid) returns text
      language sql stable security definer set search_path = '' as
      'select r.access from collabprobe.rights r where r.resource = $1 and r.user_id = (select auth.uid())';
      grant execute on function collabprobe.access(uuid) to anon, authenticated;
      insert into public.collab_document_kinds (feature, field, access) values ('collabprobe', 'body', 'collabprobe.access(uuid)')
      on conflict do nothing;`);
  });
}

export async function createUser(sql: postgres.Sql, name: string): Promise<string> {
  const id = randomUUID();
  await sql`insert into auth.users (id, aud, role, email, raw_user_meta_data, raw_app_meta_data, created_at, updated_at)
            values (${id}, 'authenticated', 'authenticated', ${`${name.toLowerCase().replace(/\W/g, '')}-${id.slice(0, 8)}@example.org`},
                    ${sql.json({ name })}, '{}', now(), now())`;
  return id;
}

export async function grant(sql: postgres.Sql, resource: string, userId: string, access: 'read' | 'write' | null): Promise<void> {
  if (access === null) await sql`delete from collabprobe.rights where resource = ${resource} and user_id = ${userId}`;
  else await sql`insert into collabprobe.rights values (${resource}, ${userId}, ${access}) on conflict (resource, user_id) do update set access = excluded.access`;
}

export const probeDocument = (resource: string) => `${PROBE}/${resource}/body`;

export interface Client {
  doc: Y.Doc;
  text: Y.Text;
  provider: WebsocketProvider;
  /** The close the service decided (final codes only), once it came. */
  closed: Promise<{ code: number; reason: string }>;
  /** Updates received from the service, in order. */
  received: Uint8Array[];
  /** What the service said of this connection's rights (MESSAGE_ACCESS), in order. */
  access: string[];
  destroy(): void;
}

export function connectClient(url: string, document: string, token: string | null, opts: { connect?: boolean } = {}): Client {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, document, doc, {
    params: token ? { token } : {},
    // Same-process clients would otherwise sync through BroadcastChannel, around the service.
    disableBc: true,
    WebSocketPolyfill: WebSocket as never,
    maxBackoffTime: 500,
    connect: opts.connect ?? true,
  });
  const received: Uint8Array[] = [];
  const access: string[] = [];
  // As the island reads it.
  provider.messageHandlers[MESSAGE_ACCESS] = (_reply, decoder) => void access.push(decoding.readVarString(decoder));
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === provider) received.push(update);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    provider.on('closed', (event) => resolve({ code: event.code, reason: event.reason }));
  });
  return {
    doc,
    text: doc.getText('t'),
    provider,
    closed,
    received,
    access,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const synced = (c: Client, timeoutMs = 5000) => waitFor(() => c.provider.synced, timeoutMs, 'sync');

/** Rejects if the service closes the client for good within `ms`. */
export async function staysOpen(c: Client, ms: number): Promise<void> {
  const outcome = await Promise.race([c.closed, new Promise<null>((r) => setTimeout(() => r(null), ms))]);
  if (outcome) throw new Error(`closed: ${outcome.code} ${outcome.reason}`);
}

/** Does `state` (a stored document) already hold every one of `updates`? */
export function holdsAll(state: Uint8Array | null, updates: Uint8Array[]): boolean {
  const probe = new Y.Doc();
  if (state) Y.applyUpdate(probe, state);
  const before = { sv: Buffer.from(Y.encodeStateVector(probe)).toString('base64'), text: probe.getText('t').toString() };
  for (const u of updates) Y.applyUpdate(probe, u);
  const after = { sv: Buffer.from(Y.encodeStateVector(probe)).toString('base64'), text: probe.getText('t').toString() };
  const pending = probe.store.pendingStructs !== null || probe.store.pendingDs !== null;
  probe.destroy();
  return !pending && before.sv === after.sv && before.text === after.text;
}
