import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type postgres from 'postgres';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Config } from '../../../../src/lib/config.ts';
import { bearerClaims, type KeyRole, type Service, type ServiceContext } from '../gateway.ts';
import { bearerToken, readBody, sendEmpty, sendJson } from '../http.ts';
import { verifyJwt } from '../jwt.ts';
import { authorizeTopic, type TopicRights } from './authorization.ts';
import { type Claims, createChangeDispatcher, parseBinding, type PgBinding, type PgSubscriber } from './changes.ts';
import { type Change, startReplication } from './replication.ts';

/**
 * Supabase Realtime at /realtime/v1 (reference §C): the Phoenix channel protocol as realtime-js
 * speaks it (vsn 1.0.0 objects, 2.0.0 arrays and binary client broadcasts), broadcast (client,
 * REST and database), presence, private channels and postgres_changes from logical replication.
 */

/** A client whose send buffer grows past this is too slow: it is disconnected, not waited for. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Phoenix's socket timeout: no frame (heartbeats are every 25 s) for this long closes the socket. */
const IDLE_TIMEOUT_MS = 60_000;
const MAX_FRAME_BYTES = 1024 * 1024;

type Vsn = 1 | 2;

interface Conn {
  ws: WebSocket;
  vsn: Vsn;
  keyRole: KeyRole;
  channels: Map<string, Channel>;
  lastSeen: number;
  queue: Promise<void>;
}

interface Channel extends PgSubscriber {
  conn: Conn;
  topic: string;
  joinRef: string | null;
  isPrivate: boolean;
  canWrite: boolean;
  /** Private channels: may this member receive the presence of others / track its own? */
  presenceRead: boolean;
  presenceWrite: boolean;
  self: boolean;
  ack: boolean;
  presenceKey: string;
  presenceRef: string | undefined;
  presenceMeta: Record<string, unknown> | undefined;
  expTimer: NodeJS.Timeout | undefined;
}

interface Room {
  channels: Set<Channel>;
  /** key → channel → meta (with phx_ref). */
  presence: Map<string, Map<Channel, Record<string, unknown>>>;
}

interface Message {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);

function encode(vsn: Vsn, m: Message): string {
  return vsn === 2
    ? JSON.stringify([m.joinRef, m.ref, m.topic, m.event, m.payload])
    : JSON.stringify({ topic: m.topic, event: m.event, payload: m.payload, ref: m.ref, join_ref: m.joinRef });
}

function decodeText(vsn: Vsn, text: string): Message | undefined {
  const v: unknown = JSON.parse(text);
  if (Array.isArray(v) && v.length === 5) {
    return { joinRef: str(v[0]), ref: str(v[1]), topic: String(v[2]), event: String(v[3]), payload: v[4] };
  }
  if (isRecord(v) && typeof v.topic === 'string' && typeof v.event === 'string') {
    return { joinRef: str(v.join_ref), ref: str(v.ref), topic: v.topic, event: v.event, payload: v.payload };
  }
  void vsn;
  return undefined;
}

/** Binary kind 3 (userBroadcastPush), realtime-js's serializer. */
function decodeBinary(buf: Buffer): (Message & { binary?: Buffer }) | undefined {
  if (buf.length < 7 || buf[0] !== 3) return undefined;
  const [jl, rl, tl, el, ml, enc] = [buf[1]!, buf[2]!, buf[3]!, buf[4]!, buf[5]!, buf[6]!];
  let i = 7;
  const take = (n: number) => buf.toString('utf8', i, (i += n));
  const joinRef = take(jl);
  const ref = take(rl);
  const topic = take(tl);
  const event = take(el);
  take(ml); // metadata ("persist"): not kept
  const body = buf.subarray(i);
  if (enc === 1) {
    return { joinRef, ref, topic, event: 'broadcast', payload: { type: 'broadcast', event, payload: JSON.parse(body.toString('utf8')) } };
  }
  return { joinRef, ref, topic, event: 'broadcast', payload: { type: 'broadcast', event }, binary: Buffer.from(body) };
}

/** Binary kind 4 (userBroadcast) for binary payloads: the only binary frame the client decodes. */
function encodeUserBroadcast(topic: string, event: string, payload: Buffer): Buffer {
  const t = Buffer.from(topic);
  const e = Buffer.from(event);
  return Buffer.concat([Buffer.from([4, t.length, e.length, 0, 0]), t, e, payload]);
}

export function createRealtimeService(opts: { config: Config; sql: postgres.Sql; databaseUrl?: string; log: (line: string) => void }): Service {
  const { config, sql, log } = opts;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  const conns = new Set<Conn>();
  const rooms = new Map<string, Room>();
  const pgChannels = new Set<Channel>();
  let refCounter = 0;
  const nextRef = () => `F${(++refCounter).toString(36)}${Date.now().toString(36)}`;

  const dispatcher = createChangeDispatcher({ sql, log, subscribers: () => pgChannels });
  let replication: ReturnType<typeof startReplication> | undefined;
  function ensureReplication() {
    replication ??= startReplication({
      databaseUrl: opts.databaseUrl ?? config.databaseUrl,
      publications: ['supabase_realtime', 'decidons_realtime_messages'],
      onRelation: (rel) => dispatcher.onRelation(rel),
      onTransaction: (tx) => dispatcher.onTransaction(tx, deliverDbMessage),
      log,
    });
    return replication;
  }
  async function replicationReady(timeoutMs = 5000) {
    const r = ensureReplication();
    let t: NodeJS.Timeout | undefined;
    await Promise.race([r.ready(), new Promise<void>((res) => (t = setTimeout(res, timeoutMs)))]);
    clearTimeout(t);
  }

  const sweeper = setInterval(() => {
    const limit = Date.now() - IDLE_TIMEOUT_MS;
    for (const c of conns) if (c.lastSeen < limit) c.ws.terminate();
  }, 15_000);
  sweeper.unref();
  // Database broadcasts are delivered from the WAL; the rows are only kept for a while, as Supabase
  // keeps a few days of realtime.messages partitions.
  const pruner = setInterval(() => {
    sql`delete from realtime.messages where inserted_at < now() - interval '3 days'`.catch(() => {});
  }, 3_600_000);
  pruner.unref();

  // -------------------------------------------------------------------------------- sending

  // The frames a connection gets within one turn of the event loop (the I/O handled together,
  // until setImmediate) leave in one write: a busy room (a crowd joining a debate sends a presence
  // diff to every member at each join) would otherwise cost one system call per message and per
  // member. Measured: 600 people joining one channel, a quarter of the system calls' time, all
  // in sync in half the time.
  const corked = new Set<Duplex>();
  const uncorkAll = () => {
    for (const socket of corked) socket.uncork();
    corked.clear();
  };

  /** `text`: a Buffer holding UTF-8 JSON, sent as a text frame (encoded once for many clients). */
  function sendRaw(conn: Conn, data: string | Buffer, text = false): void {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    if (conn.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      log('realtime: disconnecting a client that does not keep up');
      conn.ws.terminate();
      return;
    }
    // ws keeps its transport in `_socket` (not part of its typed API, stable for years).
    const socket = (conn.ws as unknown as { _socket?: Duplex })._socket;
    if (socket && !corked.has(socket)) {
      if (corked.size === 0) setImmediate(uncorkAll);
      socket.cork();
      corked.add(socket);
    }
    conn.ws.send(data, { binary: typeof data !== 'string' && !text });
  }
  const push = (conn: Conn, m: Message) => sendRaw(conn, encode(conn.vsn, m));
  const reply = (conn: Conn, m: Message, status: 'ok' | 'error', response: unknown) =>
    push(conn, { joinRef: m.joinRef, ref: m.ref, topic: m.topic, event: 'phx_reply', payload: { status, response } });

  const roomKey = (topic: string, isPrivate: boolean) => `${isPrivate ? 'p' : 'o'}:${topic}`;

  /** Sends one server message to every channel of a room, encoding once per serializer version. */
  function fanout(
    room: Room | undefined, topic: string, event: string, payload: unknown, except?: Channel, binary?: { event: string; body: Buffer },
    only?: (ch: Channel) => boolean,
  ) {
    if (!room) return;
    const cache: Partial<Record<Vsn, Buffer>> = {};
    const frame = binary && encodeUserBroadcast(topic, binary.event, binary.body);
    for (const ch of room.channels) {
      if (ch === except || (only && !only(ch))) continue;
      if (frame) {
        if (ch.conn.vsn === 2) sendRaw(ch.conn, frame);
        continue;
      }
      const v = ch.conn.vsn;
      sendRaw(ch.conn, (cache[v] ??= Buffer.from(encode(v, { joinRef: null, ref: null, topic, event, payload }))), true);
    }
  }

  // -------------------------------------------------------------------------------- tokens

  type TokenCheck = { ok: true; claims: Claims } | { ok: false; reason: string };

  function checkToken(conn: Conn, token: unknown): TokenCheck {
    if (token === undefined || token === null || (typeof token === 'string' && token.startsWith('sb_'))) {
      return { ok: true, claims: { role: conn.keyRole } };
    }
    if (typeof token !== 'string') return { ok: false, reason: 'InvalidJWTToken: The token provided is not a valid JWT' };
    if (token === config.anonKey || token === config.serviceRoleKey) return { ok: true, claims: bearerClaims(token, config)! };
    const jwt = verifyJwt(token, config.jwtSecret);
    if (!jwt.ok) {
      const exp = (() => {
        try {
          const p: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
          return isRecord(p) && typeof p.exp === 'number' ? p.exp : undefined;
        } catch {
          return undefined;
        }
      })();
      if (jwt.reason.includes('expired') && exp !== undefined) {
        return { ok: false, reason: `InvalidJWTToken: Token has expired ${Math.max(0, Math.floor(Date.now() / 1000 - exp))} seconds ago` };
      }
      return { ok: false, reason: 'InvalidJWTToken: The token provided is not a valid JWT' };
    }
    if (typeof jwt.claims.role !== 'string' || typeof jwt.claims.exp !== 'number') {
      return { ok: false, reason: 'InvalidJWTToken: Fields `role` and `exp` are required in JWT' };
    }
    return { ok: true, claims: jwt.claims };
  }

  function armExpiry(ch: Channel) {
    if (ch.expTimer) clearTimeout(ch.expTimer);
    ch.expTimer = undefined;
    const exp = ch.claims.exp;
    if (typeof exp !== 'number') return;
    const ms = exp * 1000 - Date.now();
    if (ms > 2 ** 31 - 1) return;
    ch.expTimer = setTimeout(() => {
      closeChannel(ch, `Token has expired ${Math.max(0, Math.floor(Date.now() / 1000 - exp))} seconds ago`);
    }, Math.max(0, ms));
    ch.expTimer.unref();
  }

  /** Server-side shutdown of a channel: a system error, then phx_close (as Supabase does). */
  function closeChannel(ch: Channel, message: string) {
    push(ch.conn, {
      joinRef: ch.joinRef, ref: null, topic: ch.topic, event: 'system',
      payload: { extension: 'system', status: 'error', message, channel: ch.topic.replace(/^realtime:/, '') },
    });
    push(ch.conn, { joinRef: ch.joinRef, ref: ch.joinRef, topic: ch.topic, event: 'phx_close', payload: {} });
    removeChannel(ch);
  }

  // -------------------------------------------------------------------------------- presence

  function presenceState(room: Room): Record<string, { metas: unknown[] }> {
    const state: Record<string, { metas: unknown[] }> = {};
    for (const [key, byChannel] of room.presence) state[key] = { metas: [...byChannel.values()] };
    return state;
  }

  function untrack(ch: Channel, room: Room | undefined) {
    if (!room || !ch.presenceMeta) return;
    const key = ch.presenceKey;
    const byChannel = room.presence.get(key);
    const meta = ch.presenceMeta;
    byChannel?.delete(ch);
    if (byChannel && !byChannel.size) room.presence.delete(key);
    ch.presenceMeta = undefined;
    ch.presenceRef = undefined;
    fanout(room, ch.topic, 'presence_diff', { joins: {}, leaves: { [key]: { metas: [meta] } } }, undefined, undefined, readsPresence);
  }

  /** A private channel's presence reaches the members with the presence read right only. */
  const readsPresence = (ch: Channel) => ch.presenceRead;

  /** Tracks (or updates) the channel's meta; false when it is the same payload again (Supabase sends no diff then). */
  function track(ch: Channel, room: Room, payload: unknown): boolean {
    const key = ch.presenceKey;
    const prev = ch.presenceMeta;
    const body = isRecord(payload) ? payload : {};
    if (prev) {
      const { phx_ref: _ref, phx_ref_prev: _prev, ...before } = prev;
      if (JSON.stringify(before) === JSON.stringify(body)) return false;
    }
    const ref = nextRef();
    const meta: Record<string, unknown> = { ...body, phx_ref: ref };
    if (prev) meta.phx_ref_prev = prev.phx_ref;
    let byChannel = room.presence.get(key);
    if (!byChannel) room.presence.set(key, (byChannel = new Map()));
    byChannel.set(ch, meta);
    ch.presenceMeta = meta;
    ch.presenceRef = ref;
    fanout(room, ch.topic, 'presence_diff', { joins: { [key]: { metas: [meta] } }, leaves: prev ? { [key]: { metas: [prev] } } : {} }, undefined, undefined, readsPresence);
    return true;
  }

  // -------------------------------------------------------------------------------- channels

  function removeChannel(ch: Channel) {
    if (ch.expTimer) clearTimeout(ch.expTimer);
    if (ch.conn.channels.get(ch.topic) === ch) ch.conn.channels.delete(ch.topic);
    pgChannels.delete(ch);
    const key = roomKey(ch.topic, ch.isPrivate);
    const room = rooms.get(key);
    if (!room) return;
    room.channels.delete(ch);
    untrack(ch, room);
    if (!room.channels.size && !room.presence.size) rooms.delete(key);
  }

  async function join(conn: Conn, m: Message) {
    const payload = isRecord(m.payload) ? m.payload : {};
    const cfg = isRecord(payload.config) ? payload.config : {};
    const existing = conn.channels.get(m.topic);
    if (existing) {
      // A second join on a topic replaces the first, as Phoenix does, closing the old join.
      if (existing.joinRef !== (m.joinRef ?? m.ref)) {
        push(conn, { joinRef: existing.joinRef, ref: existing.joinRef, topic: m.topic, event: 'phx_close', payload: {} });
      }
      removeChannel(existing);
    }
    const token = checkToken(conn, payload.access_token);
    if (!token.ok) return reply(conn, m, 'error', { reason: token.reason });
    const claims = token.claims;
    const role = typeof claims.role === 'string' ? claims.role : 'anon';
    const isPrivate = cfg.private === true;
    const subTopic = m.topic.replace(/^realtime:/, '');
    let canWrite = true;
    let presenceRead = true;
    let presenceWrite = true;
    if (isPrivate) {
      let auth: TopicRights = { read: false, write: false, presenceRead: false, presenceWrite: false };
      try {
        auth = await authorizeTopic(sql, subTopic, role, claims);
      } catch (err) {
        log(`realtime: authorising ${subTopic} failed: ${String(err)}`);
      }
      if (!auth.read) {
        return reply(conn, m, 'error', { reason: `Unauthorized: You do not have permissions to read from this Channel topic: ${subTopic}` });
      }
      canWrite = auth.write;
      presenceRead = auth.presenceRead;
      presenceWrite = auth.presenceWrite;
    }
    const rawBindings: unknown[] = Array.isArray(cfg.postgres_changes) ? cfg.postgres_changes : [];
    const bindings: PgBinding[] = [];
    const errors: string[] = [];
    for (const params of rawBindings) {
      const b = parseBinding(params);
      if (typeof b === 'string') errors.push(b);
      else bindings.push(b);
    }
    const broadcast = isRecord(cfg.broadcast) ? cfg.broadcast : {};
    const presence = isRecord(cfg.presence) ? cfg.presence : {};
    const ch: Channel = {
      conn, topic: m.topic, joinRef: m.joinRef ?? m.ref, isPrivate, canWrite, presenceRead, presenceWrite,
      self: broadcast.self === true, ack: broadcast.ack === true,
      presenceKey: typeof presence.key === 'string' && presence.key ? presence.key : randomUUID(),
      presenceRef: undefined, presenceMeta: undefined, expTimer: undefined,
      claims, role, bindings,
      deliver(ids, dataJson, frames) {
        // Hand-assembled once per (serializer, topic, ids) for all subscribers of the same role.
        const key = `${ch.conn.vsn}|${ch.topic}|${ids.join(',')}`;
        let frame = frames.get(key);
        if (frame === undefined) {
          const topicJson = JSON.stringify(ch.topic);
          const payloadJson = `{"ids":${JSON.stringify(ids)},"data":${dataJson}}`;
          frame = Buffer.from(ch.conn.vsn === 2
            ? `[null,null,${topicJson},"postgres_changes",${payloadJson}]`
            : `{"topic":${topicJson},"event":"postgres_changes","payload":${payloadJson},"ref":null,"join_ref":null}`);
          frames.set(key, frame);
        }
        sendRaw(ch.conn, frame, true);
      },
    };
    // Replication must be running before the join is confirmed, so changes and database
    // broadcasts committed after SUBSCRIBED are delivered.
    await replicationReady();
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    conn.channels.set(m.topic, ch);
    const key = roomKey(m.topic, isPrivate);
    let room = rooms.get(key);
    if (!room) rooms.set(key, (room = { channels: new Set(), presence: new Map() }));
    room.channels.add(ch);
    if (bindings.length) pgChannels.add(ch);
    armExpiry(ch);
    const echoed = rawBindings
      .map((params) => (isRecord(params) ? { ...params, id: (parseBinding(params) as PgBinding).id } : params))
      .filter((p) => isRecord(p) && typeof p.id === 'number');
    reply(conn, m, 'ok', { postgres_changes: echoed });
    const sys = (status: string, message: string) =>
      push(conn, { joinRef: ch.joinRef, ref: null, topic: m.topic, event: 'system', payload: { extension: 'postgres_changes', status, message, channel: subTopic } });
    for (const e of errors) sys('error', e);
    if (bindings.length) sys('ok', 'Subscribed to PostgreSQL');
    if (presenceRead && (presence.enabled === true || room.presence.size)) {
      push(conn, { joinRef: ch.joinRef, ref: null, topic: m.topic, event: 'presence_state', payload: presenceState(room) });
    }
  }

  async function accessToken(ch: Channel, payload: unknown) {
    const token = checkToken(ch.conn, isRecord(payload) ? payload.access_token : undefined);
    if (!token.ok) return closeChannel(ch, token.reason.replace(/^InvalidJWTToken: /, ''));
    ch.claims = token.claims;
    ch.role = typeof token.claims.role === 'string' ? token.claims.role : 'anon';
    armExpiry(ch);
    if (ch.isPrivate) {
      const auth = await authorizeTopic(sql, ch.topic.replace(/^realtime:/, ''), ch.role, ch.claims)
        .catch((): TopicRights => ({ read: false, write: false, presenceRead: false, presenceWrite: false }));
      if (!auth.read) return closeChannel(ch, `Unauthorized: You do not have permissions to read from this Channel topic: ${ch.topic.replace(/^realtime:/, '')}`);
      ch.canWrite = auth.write;
      ch.presenceRead = auth.presenceRead;
      ch.presenceWrite = auth.presenceWrite;
    }
  }

  function clientBroadcast(ch: Channel, m: Message & { binary?: Buffer }) {
    const p = isRecord(m.payload) ? m.payload : {};
    if (ch.isPrivate && !ch.canWrite) {
      if (ch.ack) reply(ch.conn, m, 'error', { reason: `Unauthorized: You do not have permissions to write to this Channel topic: ${ch.topic.replace(/^realtime:/, '')}` });
      return;
    }
    const room = rooms.get(roomKey(ch.topic, ch.isPrivate));
    const event = typeof p.event === 'string' ? p.event : '';
    fanout(room, ch.topic, 'broadcast', { type: 'broadcast', event, payload: p.payload }, ch.self ? undefined : ch,
      m.binary ? { event, body: m.binary } : undefined);
    if (ch.ack) reply(ch.conn, m, 'ok', {});
  }

  async function handle(conn: Conn, m: Message & { binary?: Buffer }) {
    if (m.topic === 'phoenix') {
      if (m.event === 'heartbeat') reply(conn, m, 'ok', {});
      return;
    }
    if (m.event === 'phx_join') return join(conn, m);
    const ch = conn.channels.get(m.topic);
    if (!ch || (m.joinRef !== null && ch.joinRef !== null && m.joinRef !== ch.joinRef)) {
      if (m.event === 'phx_leave') return reply(conn, m, 'ok', {});
      if (m.event === 'access_token') return;
      return reply(conn, m, 'error', { reason: 'unmatched topic' });
    }
    switch (m.event) {
      case 'phx_leave':
        removeChannel(ch);
        return reply(conn, m, 'ok', {});
      case 'access_token':
        return accessToken(ch, m.payload);
      case 'broadcast':
        return clientBroadcast(ch, m);
      case 'presence': {
        const p = isRecord(m.payload) ? m.payload : {};
        const room = rooms.get(roomKey(ch.topic, ch.isPrivate));
        if (p.event === 'track') {
          // Supabase: tracking in a private channel needs the insert right on `presence`.
          if (ch.isPrivate && !ch.presenceWrite) return reply(conn, m, 'error', {});
          if (p.payload !== undefined && !isRecord(p.payload)) return reply(conn, m, 'error', { reason: 'Presence track payload must be a map' });
          if (room) track(ch, room, p.payload);
        } else if (p.event === 'untrack') untrack(ch, room);
        return reply(conn, m, 'ok', {});
      }
      default:
        return reply(conn, m, 'ok', {});
    }
  }

  // -------------------------------------------------------------------------------- database broadcasts

  function deliverDbMessage(change: Change) {
    if (change.type !== 'INSERT' || !change.record) return;
    const col = (name: string) => change.record![change.relation.columns.findIndex((c) => c.name === name)];
    if (col('extension') !== 'broadcast') return;
    const topic = col('topic');
    if (!topic) return;
    let payload: unknown = null;
    try {
      payload = JSON.parse(col('payload') ?? 'null');
    } catch {
      /* keep null */
    }
    const isPrivate = col('private') === 't';
    const full = `realtime:${topic}`;
    const id = col('id');
    fanout(rooms.get(roomKey(full, isPrivate)), full, 'broadcast', { type: 'broadcast', event: col('event') ?? '', payload, ...(id ? { meta: { id } } : {}) });
  }

  // -------------------------------------------------------------------------------- REST

  async function restBroadcast(req: IncomingMessage, res: ServerResponse, ctx: ServiceContext) {
    const token = bearerToken(req);
    const claims = token ? (token.startsWith('sb_') ? { role: ctx.keyRole } : bearerClaims(token, config)) : { role: ctx.keyRole };
    if (!claims) return sendJson(res, 401, { message: 'Unauthorized' });
    const role = typeof claims.role === 'string' ? claims.role : 'anon';
    let messages: { topic: string; event: string; payload: unknown; private: boolean; binary?: Buffer }[] = [];
    const body = await readBody(req, MAX_FRAME_BYTES);
    const single = /^\/api\/broadcast\/([^/]+)\/events\/([^/]+)$/.exec(ctx.path);
    if (single) {
      const isJson = !(req.headers['content-type'] ?? '').includes('octet-stream');
      let payload: unknown = null;
      if (isJson) {
        try {
          payload = JSON.parse(body.toString('utf8') || 'null');
        } catch {
          return sendJson(res, 400, { error: 'Invalid JSON body' });
        }
      }
      messages = [{
        topic: decodeURIComponent(single[1]!), event: decodeURIComponent(single[2]!), payload,
        private: ctx.url.searchParams.get('private') === 'true', ...(isJson ? {} : { binary: body }),
      }];
    } else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        return sendJson(res, 400, { error: 'Invalid JSON body' });
      }
      const list = isRecord(parsed) && Array.isArray(parsed.messages) ? parsed.messages : undefined;
      if (!list) return sendJson(res, 422, { error: 'messages is required' });
      for (const x of list) {
        if (!isRecord(x) || typeof x.topic !== 'string' || typeof x.event !== 'string') {
          return sendJson(res, 422, { error: 'each message needs a topic and an event' });
        }
        messages.push({ topic: x.topic, event: x.event, payload: x.payload, private: x.private === true });
      }
    }
    const writable = new Map<string, boolean>();
    for (const msg of messages) {
      if (msg.private && role !== 'service_role') {
        let ok = writable.get(msg.topic);
        if (ok === undefined) {
          ok = (await authorizeTopic(sql, msg.topic, role, claims).catch(() => ({ write: false }))).write;
          writable.set(msg.topic, ok);
        }
        if (!ok) continue;
      }
      const full = `realtime:${msg.topic}`;
      fanout(rooms.get(roomKey(full, msg.private)), full, 'broadcast', { type: 'broadcast', event: msg.event, payload: msg.payload }, undefined,
        msg.binary ? { event: msg.event, body: msg.binary } : undefined);
    }
    sendEmpty(res, 202);
  }

  // -------------------------------------------------------------------------------- service

  return {
    prefix: '/realtime/v1',
    async handle(req, res, ctx) {
      if (req.method === 'POST' && (ctx.path === '/api/broadcast' || ctx.path.startsWith('/api/broadcast/'))) {
        return restBroadcast(req, res, ctx);
      }
      if (ctx.path === '/api/ping' || ctx.path === '/api/health') return sendJson(res, 200, { message: 'Success' });
      sendJson(res, 404, { message: 'Not found' });
    },
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, ctx: ServiceContext) {
      if (ctx.path !== '/websocket' && ctx.path !== '/websocket/websocket') {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      const vsn: Vsn = ctx.url.searchParams.get('vsn') === '1.0.0' ? 1 : 2;
      wss.handleUpgrade(req, socket, head, (ws) => {
        const conn: Conn = { ws, vsn, keyRole: ctx.keyRole ?? 'anon', channels: new Map(), lastSeen: Date.now(), queue: Promise.resolve() };
        conns.add(conn);
        ensureReplication();
        ws.on('message', (data: RawData, isBinary: boolean) => {
          conn.lastSeen = Date.now();
          let m: (Message & { binary?: Buffer }) | undefined;
          try {
            const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
            m = isBinary ? decodeBinary(buf) : decodeText(vsn, buf.toString('utf8'));
          } catch {
            m = undefined;
          }
          if (!m) return;
          const msg = m;
          conn.queue = conn.queue.then(() => handle(conn, msg)).catch((err: unknown) => log(`realtime: ${msg.event} failed: ${String(err)}`));
        });
        ws.on('close', () => {
          conns.delete(conn);
          for (const ch of [...conn.channels.values()]) removeChannel(ch);
        });
        ws.on('error', () => ws.terminate());
      });
    },
    async close() {
      clearInterval(sweeper);
      clearInterval(pruner);
      for (const c of conns) c.ws.terminate();
      wss.close();
      await replication?.stop();
    },
  };
}
