import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type postgres from 'postgres';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import * as Y from 'yjs';
import { asUser, type Claims } from '../src/lib/db/index.ts';
import { tokenVerifier, type TokenRefusal } from './auth.ts';
import { CLOSE, type CloseReason } from './close-codes.ts';
import { parseDocumentName, type DocumentName } from './names.ts';
import {
  AWARENESS_CHANNEL,
  compactDocument,
  fetchNoticed,
  insertRows,
  loadDocument,
  MERGE_CHUNK,
  mergeInChunks,
  RIGHTS_CHANNEL,
  UPDATES_CHANNEL,
  type PendingUpdate,
  type UpdateNotice,
} from './persistence.ts';
import { insertVersion } from './history.ts';

/**
 * The co-editing service: the y-websocket protocol (y-protocols sync and awareness) so the
 * unchanged `WebsocketProvider` connects, with three rules the reference server does not have:
 * the Supabase token and Postgres (as that user) decide who reads and who writes; an update is
 * durable in Postgres before any other client receives it; instances sharing a database converge
 * through NOTIFY on the update rows.
 */

// y-websocket's message types, plus one of ours: a refreshed access token.
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_AUTH = 2;
const MESSAGE_QUERY_AWARENESS = 3;
/** Client → service: `[4, varString token]`, sent after the session's token is refreshed. */
export const MESSAGE_REFRESH_TOKEN = 4;
/**
 * Service → client: `[5, varString 'read' | 'write']`, when a connection's rights change (and on
 * connecting read-only), so the island can say so; the unchanged provider takes a handler for it in
 * `provider.messageHandlers` (one without a handler logs and ignores it).
 */
export const MESSAGE_ACCESS = 5;

const REMOTE = Symbol('remote instance');
/** The origin of a batch several clients' updates are in (relayed to all of them). */
const SEVERAL = Symbol('several senders');
/** Batches being written at once (the pool has more connections, for rights and compaction). */
const MAX_IN_FLIGHT = 2;
const TOKEN_REFUSALS: Record<TokenRefusal, CloseReason> = {
  'token-missing': CLOSE.tokenMissing,
  'token-invalid': CLOSE.tokenInvalid,
  'token-expired': CLOSE.tokenExpired,
  'token-not-a-user': CLOSE.tokenNotAUser,
};

export interface CollabServerOptions {
  /** The pool for storage and for rights (asked as the user through `asUser`). */
  sql: postgres.Sql;
  jwtSecret: string;
  jwksUrl?: string | undefined;
  port: number;
  host?: string;
  /** Every open connection's rights are asked again this often (and at once when a feature signals a change). */
  recheckMs?: number;
  /** Fold a document's updates into its snapshot after this many… */
  compactEvery?: number;
  /** …but not more often than this (each fold rewrites the whole snapshot). */
  compactIntervalMs?: number;
  /** A document nobody has open stays in memory this long. */
  unloadAfterMs?: number;
  /** A client whose unsent data grows past this is disconnected, not waited for. */
  maxBufferedBytes?: number;
  /** An automatic version is kept when a document's editing session has been quiet this long… */
  versionIdleMs?: number;
  /** …or has gone on this long with changes since the last one. */
  versionEveryMs?: number;
  log?: (line: string) => void;
}

type Access = 'read' | 'write';

interface Conn {
  ws: WebSocket;
  room: Room;
  claims: Claims;
  userId: string;
  displayName: string;
  access: Access;
  /** Awareness client ids this connection speaks for (removed when it leaves). */
  awarenessIds: Set<number>;
  expiry: NodeJS.Timeout | undefined;
  alive: boolean;
}

interface Room {
  name: DocumentName;
  doc: Y.Doc;
  awareness: awarenessProtocol.Awareness;
  conns: Set<Conn>;
  ready: Promise<void>;
  /** Updates written since the last compaction (any instance's, as far as this one knows). */
  sinceCompaction: number;
  pending: number;
  compacting: Promise<void> | undefined;
  /** When the last compaction ended, and the timer of the next one when it has to wait. */
  compactedAt: number;
  compactTimer: NodeJS.Timeout | undefined;
  unloadTimer: NodeJS.Timeout | undefined;
  /** Who changed the text through this instance since its last automatic version. */
  contributors: Set<string>;
  /** When the first of those changes was applied (undefined: none since the last version). */
  editStartedAt: number | undefined;
  lastEditAt: number;
  versioning: Promise<void> | undefined;
}

interface Queued {
  conn: Conn;
  room: Room;
  data: Uint8Array;
}

/** One sender's updates to one document in a batch, merged. */
interface Merged {
  room: Room;
  conn: Conn;
  updates: Uint8Array[];
  /** How many updates the sender sent. */
  count: number;
}

export interface CollabServer {
  port: number;
  url: string;
  instance: string;
  /** Open documents and connections (the bench and tests read it). */
  stats(): { documents: number; connections: number };
  close(): Promise<void>;
}

function encodeMessage(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

const updateMessage = (update: Uint8Array) =>
  encodeMessage((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    syncProtocol.writeUpdate(e, update);
  });

const accessMessage = (access: 'read' | 'write') =>
  encodeMessage((e) => {
    encoding.writeVarUint(e, MESSAGE_ACCESS);
    encoding.writeVarString(e, access);
  });

const awarenessMessage = (update: Uint8Array) =>
  encodeMessage((e) => {
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, update);
  });

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export async function startCollabServer(opts: CollabServerOptions): Promise<CollabServer> {
  const { sql } = opts;
  const log = opts.log ?? (() => {});
  const recheckMs = opts.recheckMs ?? 10_000;
  const compactEvery = opts.compactEvery ?? 500;
  const compactIntervalMs = opts.compactIntervalMs ?? 2000;
  const unloadAfterMs = opts.unloadAfterMs ?? 30_000;
  const maxBuffered = opts.maxBufferedBytes ?? 16 * 1024 * 1024;
  // Idle after a minute, as a person is in the here-now list; a long session still gets a version every ten minutes.
  const versionIdleMs = opts.versionIdleMs ?? 60_000;
  const versionEveryMs = opts.versionEveryMs ?? 10 * 60_000;
  const instance = randomUUID();
  const verifier = tokenVerifier({ jwtSecret: opts.jwtSecret, jwksUrl: opts.jwksUrl });
  const rooms = new Map<string, Room>();
  let closing = false;

  // ------------------------------------------------------------------------------------------
  // Sending and closing
  // ------------------------------------------------------------------------------------------

  const send = (conn: Conn, message: Uint8Array) => {
    const { ws } = conn;
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > maxBuffered) {
      closeConn(conn, CLOSE.tooSlow);
      return;
    }
    ws.send(message);
  };

  const setAccess = (conn: Conn, access: Access) => {
    if (conn.access === access) return;
    conn.access = access;
    send(conn, accessMessage(access));
  };

  const closeWs = (ws: WebSocket, why: CloseReason) => {
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(why.code, why.reason);
  };

  function closeConn(conn: Conn, why: CloseReason) {
    closeWs(conn.ws, why);
    leave(conn);
  }

  function leave(conn: Conn) {
    const { room } = conn;
    if (!room.conns.delete(conn)) return;
    clearTimeout(conn.expiry);
    awarenessProtocol.removeAwarenessStates(room.awareness, [...conn.awarenessIds], null);
    if (room.conns.size === 0) scheduleUnload(room);
  }

  // ------------------------------------------------------------------------------------------
  // Rooms: one Y.Doc per open document, loaded from Postgres
  // ------------------------------------------------------------------------------------------

  function openRoom(name: DocumentName): Room {
    const existing = rooms.get(name.name);
    if (existing) {
      clearTimeout(existing.unloadTimer);
      existing.unloadTimer = undefined;
      return existing;
    }
    const doc = new Y.Doc({ gc: true });
    const awareness = new awarenessProtocol.Awareness(doc);
    // The service has no presence of its own.
    awareness.setLocalState(null);
    const room: Room = {
      name,
      doc,
      awareness,
      conns: new Set(),
      ready: Promise.resolve(),
      sinceCompaction: 0,
      pending: 0,
      compacting: undefined,
      compactedAt: 0,
      compactTimer: undefined,
      unloadTimer: undefined,
      contributors: new Set(),
      editStartedAt: undefined,
      lastEditAt: 0,
      versioning: undefined,
    };
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      const message = updateMessage(update);
      for (const conn of room.conns) if (conn !== origin) send(conn, message);
    });
    awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      const conn = origin as Conn | undefined;
      if (conn && room.conns.has(conn)) {
        for (const id of [...added, ...updated]) conn.awarenessIds.add(id);
        for (const id of removed) conn.awarenessIds.delete(id);
      }
      const update = awarenessProtocol.encodeAwarenessUpdate(awareness, changed);
      // To everybody, the sender included: the provider counts any message as a sign of life.
      const message = awarenessMessage(update);
      for (const c of room.conns) send(c, message);
      if (origin !== REMOTE && !closing) {
        const u = Buffer.from(update).toString('base64');
        if (u.length < 7000) sql.notify(AWARENESS_CHANNEL, JSON.stringify({ i: instance, d: name.name, u })).catch(() => {});
      }
    });
    room.ready = loadDocument(sql, name.name).then(({ update, updateCount }) => {
      if (update) Y.applyUpdate(doc, update, REMOTE);
      room.sinceCompaction = updateCount;
    });
    rooms.set(name.name, room);
    // A failed load must not leave a room that looks ready: the next connection loads again.
    room.ready.catch(() => {
      if (rooms.get(name.name) === room) rooms.delete(name.name);
    });
    return room;
  }

  function scheduleUnload(room: Room) {
    clearTimeout(room.unloadTimer);
    room.unloadTimer = setTimeout(() => {
      if (room.conns.size > 0 || room.pending > 0 || rooms.get(room.name.name) !== room) return;
      rooms.delete(room.name.name);
      void Promise.all([writeVersion(room), room.sinceCompaction > 0 ? compact(room) : undefined]).finally(() => {
        room.awareness.destroy();
        room.doc.destroy();
      });
    }, unloadAfterMs);
    room.unloadTimer.unref();
  }

  /**
   * An automatic version: the document as everybody has it now (the room holds only durable
   * updates) and who changed it through this instance since the last one. Other instances keep
   * their own writers' versions.
   */
  function writeVersion(room: Room): Promise<void> {
    if (room.versioning || room.contributors.size === 0) return room.versioning ?? Promise.resolve();
    const authors = [...room.contributors];
    room.contributors.clear();
    room.editStartedAt = undefined;
    const state = Y.encodeStateAsUpdate(room.doc);
    room.versioning = insertVersion(sql, { document: room.name.name, kind: 'auto', state, authors })
      .then(() => undefined)
      .catch((err: unknown) => {
        log(`version of ${room.name.name} failed: ${String(err)}`);
        // Kept for the next attempt: the text itself is durable, only the version is late.
        for (const a of authors) room.contributors.add(a);
        room.editStartedAt ??= Date.now();
      })
      .finally(() => {
        room.versioning = undefined;
      });
    return room.versioning;
  }

  const versionTimer = setInterval(() => {
    const now = Date.now();
    for (const room of rooms.values()) {
      if (room.editStartedAt === undefined || room.contributors.size === 0) continue;
      if (now - room.lastEditAt >= versionIdleMs || now - room.editStartedAt >= versionEveryMs) void writeVersion(room);
    }
  }, Math.max(100, Math.min(versionIdleMs, versionEveryMs, 10_000) / 4));
  versionTimer.unref();

  /**
   * Bounded steps, one short transaction each, until the tail is folded (or the service stops).
   * `sinceCompaction` counts updates as they came, rows hold many: what was counted when it started
   * is folded when it ends.
   */
  function compact(room: Room): Promise<void> {
    clearTimeout(room.compactTimer);
    room.compactTimer = undefined;
    const counted = room.sinceCompaction;
    const steps = async () => {
      for (;;) {
        const { more } = await compactDocument(sql, room.name.name);
        if (!more || closing) break;
        // Let the writers' batches and the relays through between steps.
        await new Promise((r) => setImmediate(r));
      }
      room.sinceCompaction = Math.max(0, room.sinceCompaction - counted);
    };
    room.compacting ??= steps()
      .catch((err: unknown) => log(`compaction of ${room.name.name} failed: ${String(err)}`))
      .finally(() => {
        room.compacting = undefined;
        room.compactedAt = Date.now();
      });
    return room.compacting;
  }

  /** Compaction once enough updates came, at most every compactIntervalMs: a fast typist's tail waits a little. */
  function maybeCompact(room: Room) {
    if (room.sinceCompaction < compactEvery || room.compacting || room.compactTimer || rooms.get(room.name.name) !== room) return;
    const wait = room.compactedAt + compactIntervalMs - Date.now();
    if (wait <= 0) return void compact(room);
    room.compactTimer = setTimeout(() => {
      room.compactTimer = undefined;
      if (rooms.get(room.name.name) === room) void compact(room);
    }, wait);
    room.compactTimer.unref();
  }

  // ------------------------------------------------------------------------------------------
  // Durable before relayed: updates are group-committed, then applied and broadcast
  // ------------------------------------------------------------------------------------------

  let queue: Queued[] = [];
  let scheduled = false;
  let inFlight = 0;
  /** The batches being written, then relayed. */
  const writing = new Set<Promise<void>>();

  function enqueue(item: Queued) {
    item.room.pending++;
    queue.push(item);
    schedule();
  }

  // The first update after a quiet spell is written at once (in the same turn of the event loop as
  // whatever else arrived with it); everything that arrives while batches are being written goes in
  // the next one (group commit). Up to MAX_IN_FLIGHT batches are written at once, so an update
  // arriving just after a batch left waits for its own round trip, not for the previous one's too,
  // and each batch is relayed as soon as it is durable, not after the batch before it: Yjs needs no
  // order (a sender's update that depends on one still being written waits, in the room's document
  // and in every client's, until that one is applied), and what anybody receives is durable anyway.
  function schedule() {
    if (scheduled || inFlight >= MAX_IN_FLIGHT || queue.length === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      if (inFlight >= MAX_IN_FLIGHT || queue.length === 0) return;
      const taken = queue;
      queue = [];
      inFlight++;
      let batch: Merged[];
      let rows: PendingUpdate[];
      try {
        ({ batch, rows } = mergeBatch(taken));
      } catch (err) {
        // Each update was decoded on arrival, so this is not expected; nothing was stored or relayed.
        log(`could not merge ${taken.length} update(s): ${String(err)}`);
        inFlight--;
        for (const q of taken) {
          q.room.pending--;
          closeConn(q.conn, CLOSE.badUpdate);
        }
        schedule();
        return;
      }
      const done = (async () => {
        try {
          await insertRows(sql, instance, rows);
          relay(batch);
        } catch (err) {
          log(`could not store ${taken.length} update(s): ${String(err)}`);
          // Nobody received them. Their senders still hold them and send them again when they reconnect.
          for (const m of batch) closeConn(m.conn, CLOSE.unavailable);
        } finally {
          inFlight--;
          for (const q of taken) q.room.pending--;
          for (const m of batch) {
            maybeCompact(m.room);
            if (m.room.conns.size === 0) scheduleUnload(m.room);
          }
          schedule();
        }
      })();
      writing.add(done);
      void done.finally(() => writing.delete(done));
    });
  }

  /**
   * A batch as it is stored and relayed: each sender's updates to a document merged (per
   * MERGE_CHUNK), so the room applies, and the others receive, one update for a burst of keystrokes
   * instead of one per keystroke, and the merging is done once for storage and relay alike. A
   * document's rows are its senders' merged updates, or one row when several senders' few updates
   * fit in one.
   */
  function mergeBatch(taken: Queued[]): { batch: Merged[]; rows: PendingUpdate[] } {
    const batch: Merged[] = [];
    const rows: PendingUpdate[] = [];
    for (const [room, inRoom] of Map.groupBy(taken, (q) => q.room)) {
      const document = room.name.name;
      const mine: Uint8Array[] = [];
      let count = 0;
      for (const [conn, queued] of Map.groupBy(inRoom, (q) => q.conn)) {
        const list = queued.map((q) => q.data);
        const updates = mergeInChunks(list);
        batch.push({ room, conn, updates, count: list.length });
        mine.push(...updates);
        count += list.length;
      }
      if (mine.length > 1 && count <= MERGE_CHUNK) rows.push({ document, data: Y.mergeUpdates(mine) });
      else for (const data of mine) rows.push({ document, data });
    }
    return { batch, rows };
  }

  /**
   * Applies a durable batch, one transaction per document, so that the room's update handler sends
   * every client one message for the whole batch (one write each, however many people typed): to all
   * but the sender when one person sent it all, to everybody when several did (each then also gets
   * back what it sent, which Yjs ignores, as the reference server does for every update).
   */
  function relay(batch: Merged[]) {
    const now = Date.now();
    for (const [room, senders] of Map.groupBy(batch, (m) => m.room)) {
      const origin = senders.length === 1 ? senders[0]!.conn : SEVERAL;
      Y.transact(room.doc, () => {
        for (const { updates } of senders) for (const u of updates) Y.applyUpdate(room.doc, u, origin);
      }, origin);
      for (const { conn, count } of senders) {
        room.contributors.add(conn.userId);
        room.sinceCompaction += count;
      }
      room.lastEditAt = now;
      room.editStartedAt ??= now;
    }
  }

  /** Resolves once every update received so far is stored and relayed (or refused). */
  async function drained(): Promise<void> {
    while (queue.length > 0 || inFlight > 0 || scheduled) {
      await Promise.all(writing);
      await new Promise((r) => setImmediate(r));
    }
  }

  // ------------------------------------------------------------------------------------------
  // Rights: asked of Postgres as the user
  // ------------------------------------------------------------------------------------------

  async function askAccess(claims: Claims, name: DocumentName): Promise<{ access: Access | null; known: boolean; displayName: string }> {
    return asUser(
      claims,
      async (tx) => {
        const [row] = await tx<{ access: Access | null; known: boolean; name: string | null }[]>`
          select private.collab_access(${name.feature}, ${name.resourceId}::uuid, ${name.field}) as access,
                 exists (select 1 from public.collab_document_kinds k where k.feature = ${name.feature} and k.field = ${name.field}) as known,
                 (select p.name from public.profiles p where p.id = (select auth.uid())) as name`;
        return { access: row?.access ?? null, known: row?.known ?? false, displayName: row?.name ?? '' };
      },
      sql,
    );
  }

  let rechecking: Promise<void> | undefined;
  async function recheck(prefix: string): Promise<void> {
    const targets = [...rooms.values()].filter((r) => r.name.name.startsWith(prefix)).flatMap((r) => [...r.conns]);
    // One question per (person, document), however many tabs they have open.
    const groups = new Map<string, Conn[]>();
    for (const c of targets) {
      const key = `${c.userId} ${c.room.name.name}`;
      const list = groups.get(key);
      if (list) list.push(c);
      else groups.set(key, [c]);
    }
    for (const conns of groups.values()) {
      const first = conns[0]!;
      try {
        const { access } = await askAccess(first.claims, first.room.name);
        for (const c of conns) {
          if (access === null) closeConn(c, CLOSE.revoked);
          else setAccess(c, access);
        }
      } catch (err) {
        // The database is unreachable: keep the connections (their updates cannot be stored anyway).
        log(`rights re-check failed: ${String(err)}`);
      }
    }
  }
  const recheckAll = () => {
    rechecking ??= recheck('').finally(() => {
      rechecking = undefined;
    });
  };
  const recheckTimer = setInterval(recheckAll, recheckMs);
  recheckTimer.unref();

  function scheduleExpiry(conn: Conn, expiresAt: number | undefined) {
    clearTimeout(conn.expiry);
    if (expiresAt === undefined) return;
    conn.expiry = setTimeout(() => closeConn(conn, CLOSE.tokenExpired), Math.min(Math.max(0, expiresAt - Date.now()), 2 ** 31 - 1));
    conn.expiry.unref();
  }

  // ------------------------------------------------------------------------------------------
  // Messages
  // ------------------------------------------------------------------------------------------

  /** Awareness as the client sent it, but each state's `user` carries the id and name of the token's owner. */
  function ownAwareness(conn: Conn, update: Uint8Array): Uint8Array {
    const d = decoding.createDecoder(update);
    const e = encoding.createEncoder();
    const n = decoding.readVarUint(d);
    encoding.writeVarUint(e, n);
    for (let k = 0; k < n; k++) {
      const clientId = decoding.readVarUint(d);
      const clock = decoding.readVarUint(d);
      const state = JSON.parse(decoding.readVarString(d)) as Record<string, unknown> | null;
      if (state && typeof state === 'object') {
        const user = typeof state.user === 'object' && state.user !== null ? (state.user as Record<string, unknown>) : {};
        state.user = { ...user, id: conn.userId, name: conn.displayName };
      }
      encoding.writeVarUint(e, clientId);
      encoding.writeVarUint(e, clock);
      encoding.writeVarString(e, JSON.stringify(state));
    }
    return encoding.toUint8Array(e);
  }

  /** Handles one message at once; only a token refresh (asking the database) returns a promise. */
  function handle(conn: Conn, message: Uint8Array): Promise<void> | undefined {
    const { room } = conn;
    const d = decoding.createDecoder(message);
    const type = decoding.readVarUint(d);
    switch (type) {
      case MESSAGE_SYNC: {
        const sub = decoding.readVarUint(d);
        if (sub === syncProtocol.messageYjsSyncStep1) {
          const stateVector = decoding.readVarUint8Array(d);
          send(conn, encodeMessage((e) => {
            encoding.writeVarUint(e, MESSAGE_SYNC);
            syncProtocol.writeSyncStep2(e, room.doc, stateVector);
          }));
          return undefined;
        }
        if (sub !== syncProtocol.messageYjsSyncStep2 && sub !== syncProtocol.messageYjsUpdate) return undefined;
        const update = decoding.readVarUint8Array(d);
        // Read-only: dropped, never applied, stored or relayed.
        if (conn.access !== 'write') return undefined;
        try {
          // Malformed bytes must never reach storage: one bad row would break every later load.
          const decoded = Y.decodeUpdate(update);
          if (decoded.structs.length === 0 && decoded.ds.clients.size === 0) return undefined;
        } catch {
          closeConn(conn, CLOSE.badUpdate);
          return undefined;
        }
        enqueue({ conn, room, data: update });
        return undefined;
      }
      case MESSAGE_AWARENESS: {
        const update = ownAwareness(conn, decoding.readVarUint8Array(d));
        awarenessProtocol.applyAwarenessUpdate(room.awareness, update, conn);
        return undefined;
      }
      case MESSAGE_QUERY_AWARENESS: {
        send(conn, awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...room.awareness.getStates().keys()])));
        return undefined;
      }
      case MESSAGE_REFRESH_TOKEN:
        return refreshToken(conn, decoding.readVarString(d));
      case MESSAGE_AUTH:
      default:
        return undefined;
    }
  }

  async function refreshToken(conn: Conn, token: string): Promise<void> {
    const result = await verifier.verify(token);
    if (!result.ok) return closeConn(conn, TOKEN_REFUSALS[result.reason]);
    if (result.claims.sub !== conn.userId) return closeConn(conn, CLOSE.tokenOtherUser);
    conn.claims = result.claims;
    scheduleExpiry(conn, result.expiresAt);
    const { access } = await askAccess(conn.claims, conn.room.name);
    if (access === null) return closeConn(conn, CLOSE.revoked);
    setAccess(conn, access);
  }

  async function connect(ws: WebSocket, req: IncomingMessage): Promise<Conn | undefined> {
    const url = new URL(req.url ?? '/', 'http://service');
    const name = parseDocumentName(decodeURIComponent(url.pathname.slice(1)));
    if (!name) return void closeWs(ws, CLOSE.badName);
    const token = await verifier.verify(url.searchParams.get('token'));
    if (!token.ok) return void closeWs(ws, TOKEN_REFUSALS[token.reason]);
    let rights: Awaited<ReturnType<typeof askAccess>>;
    try {
      rights = await askAccess(token.claims, name);
    } catch (err) {
      log(`rights check failed: ${String(err)}`);
      return void closeWs(ws, CLOSE.unavailable);
    }
    if (!rights.known) return void closeWs(ws, CLOSE.unknownKind);
    if (rights.access === null) return void closeWs(ws, CLOSE.forbidden);
    const room = openRoom(name);
    try {
      await room.ready;
    } catch (err) {
      log(`could not load ${name.name}: ${String(err)}`);
      return void closeWs(ws, CLOSE.unavailable);
    }
    if (ws.readyState !== ws.OPEN) return undefined;
    const conn: Conn = {
      ws,
      room,
      claims: token.claims,
      userId: token.claims.sub!,
      displayName: rights.displayName,
      access: rights.access,
      awarenessIds: new Set(),
      expiry: undefined,
      alive: true,
    };
    room.conns.add(conn);
    clearTimeout(room.unloadTimer);
    scheduleExpiry(conn, token.expiresAt);
    send(conn, encodeMessage((e) => {
      encoding.writeVarUint(e, MESSAGE_SYNC);
      syncProtocol.writeSyncStep1(e, room.doc);
    }));
    if (conn.access === 'read') send(conn, accessMessage('read'));
    const states = [...room.awareness.getStates().keys()];
    if (states.length > 0) send(conn, awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(room.awareness, states)));
    return conn;
  }

  // ------------------------------------------------------------------------------------------
  // Other instances: their updates and awareness through LISTEN/NOTIFY; rights changes
  // ------------------------------------------------------------------------------------------

  async function onUpdateNotice(payload: string) {
    let notice: UpdateNotice;
    try {
      notice = JSON.parse(payload) as UpdateNotice;
    } catch {
      return;
    }
    if (notice.i === instance) return;
    const room = rooms.get(notice.d);
    if (!room) return;
    room.sinceCompaction += notice.ids[2] === 'range' ? 1 : notice.ids.length;
    try {
      await room.ready;
      const update = notice.u ? new Uint8Array(Buffer.from(notice.u, 'base64')) : await fetchNoticed(sql, notice);
      // Already compacted away: the whole stored state, which Yjs merges without duplicates.
      const state = update ?? (await loadDocument(sql, notice.d)).update;
      if (state) Y.applyUpdate(room.doc, state, REMOTE);
    } catch (err) {
      log(`could not apply another instance's update to ${notice.d}: ${String(err)}`);
    }
  }

  function onAwarenessNotice(payload: string) {
    try {
      const { i, d, u } = JSON.parse(payload) as { i: string; d: string; u: string };
      const room = rooms.get(d);
      if (i === instance || !room) return;
      awarenessProtocol.applyAwarenessUpdate(room.awareness, new Uint8Array(Buffer.from(u, 'base64')), REMOTE);
    } catch {
      // A malformed notice is nobody's state.
    }
  }

  let listenedBefore = false;
  const onListen = () => {
    // After a lost connection to the database: notices may have been missed, so reread every open document.
    if (listenedBefore) {
      for (const room of rooms.values()) {
        void room.ready
          .then(() => loadDocument(sql, room.name.name))
          .then(({ update }) => update && Y.applyUpdate(room.doc, update, REMOTE))
          .catch((err: unknown) => log(`resync of ${room.name.name} failed: ${String(err)}`));
      }
    }
    listenedBefore = true;
  };
  const listeners = await Promise.all([
    sql.listen(UPDATES_CHANNEL, (p) => void onUpdateNotice(p), onListen),
    sql.listen(AWARENESS_CHANNEL, onAwarenessNotice),
    sql.listen(RIGHTS_CHANNEL, (prefix) => void recheck(prefix)),
  ]);

  // ------------------------------------------------------------------------------------------
  // HTTP and WebSocket
  // ------------------------------------------------------------------------------------------

  const http: Server = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, instance }));
      return;
    }
    res.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket only: wss://<host>/<feature>/<resource id>/<field>?token=<access token>');
  });
  const wss = new WebSocketServer({ server: http, maxPayload: 32 * 1024 * 1024 });
  wss.on('connection', (ws, req) => {
    let conn: Conn | undefined;
    // Messages are handled in order, at once as they arrive (no promise per keystroke). While
    // something asynchronous is under way (the token and rights checked on connect, a refreshed
    // token) they wait in `backlog`, and `drained` resolves once it is empty again.
    let backlog: Uint8Array[] | null = [];
    let signalDrained = () => {};
    let drained = new Promise<void>((r) => (signalDrained = r));
    const refuse = (err: unknown) => {
      log(`message refused: ${String(err)}`);
      if (conn) closeConn(conn, CLOSE.badUpdate);
    };
    const run = (message: Uint8Array): Promise<void> | undefined => {
      if (!conn || !conn.room.conns.has(conn)) return undefined;
      try {
        return handle(conn, message)?.catch(refuse);
      } catch (err) {
        refuse(err);
        return undefined;
      }
    };
    const drain = () => {
      while (backlog && backlog.length > 0) {
        const pending = run(backlog.shift()!);
        if (pending) return void pending.then(drain);
      }
      backlog = null;
      signalDrained();
    };
    connect(ws, req)
      .then(
        (c) => (conn = c),
        (err: unknown) => {
          log(`connection failed: ${String(err)}`);
          closeWs(ws, CLOSE.unavailable);
        },
      )
      .finally(drain);
    ws.on('message', (data) => {
      const message = toBytes(data);
      if (backlog) return void backlog.push(message);
      const pending = run(message);
      if (!pending) return;
      backlog = [];
      drained = new Promise<void>((r) => (signalDrained = r));
      void pending.then(drain);
    });
    ws.on('pong', () => {
      if (conn) conn.alive = true;
    });
    ws.on('close', () => void (backlog ? drained : Promise.resolve()).then(() => conn && leave(conn)));
    ws.on('error', () => {});
  });
  // Half-open connections (a phone that lost its network) are found by ping, as the reference server does.
  const pingTimer = setInterval(() => {
    for (const room of rooms.values()) {
      for (const conn of room.conns) {
        if (!conn.alive) {
          conn.ws.terminate();
          leave(conn);
          continue;
        }
        conn.alive = false;
        conn.ws.ping();
      }
    }
  }, 30_000);
  pingTimer.unref();

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  log(`co-editing service ${instance} listening on ${opts.host ?? '127.0.0.1'}:${port}`);

  return {
    port,
    url: `ws://${opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1'}:${port}`,
    instance,
    stats: () => ({ documents: rooms.size, connections: [...rooms.values()].reduce((n, r) => n + r.conns.size, 0) }),
    async close() {
      closing = true;
      clearInterval(recheckTimer);
      clearInterval(pingTimer);
      clearInterval(versionTimer);
      for (const room of rooms.values()) for (const conn of [...room.conns]) closeConn(conn, CLOSE.shuttingDown);
      await drained();
      await Promise.all(listeners.map((l) => l.unlisten().catch(() => {})));
      await Promise.all([...rooms.values()].map((r) => r.compacting));
      await Promise.all([...rooms.values()].map((r) => writeVersion(r)));
      for (const room of rooms.values()) {
        clearTimeout(room.unloadTimer);
        clearTimeout(room.compactTimer);
        room.awareness.destroy();
        room.doc.destroy();
      }
      rooms.clear();
      await new Promise<void>((resolve) => {
        wss.close(() => resolve());
        http.close();
        http.closeAllConnections();
      });
    },
  };
}
