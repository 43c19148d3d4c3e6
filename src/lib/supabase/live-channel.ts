/*
 * Browser side (islands): joins a private Realtime channel (authorised by RLS on
 * realtime.messages) and hands each broadcast of `event` to `onMessage`. Marks `marker` with
 * data-live="on" while joined, "off" otherwise (styles and tests read it); `onRejoin` runs when the
 * channel is joined again after a disconnection, to catch up on what was missed meanwhile.
 * Returns the function that leaves the channel (with `push` to send a message on it: presence).
 *
 * With `presence`, the channel joins with presence on under that key: `onEvent` receives the
 * server's `presence_state` and `presence_diff` (src/lib/supabase/presence.ts keeps the state),
 * and `onJoin` runs at every join, first and after a reconnect, where a page tracks itself again.
 *
 * Why not supabase-js: islands only ever listen to broadcasts, and `createBrowserClient` brings
 * the whole client (auth, PostgREST, storage, functions: about 60 KB gzipped) onto every page with
 * a live thread, twice the JS budget of a read-only page. This speaks the few messages of the
 * Phoenix protocol Realtime needs for that (vsn 1.0.0: join, heartbeat, access_token, leave),
 * the same wire protocol realtime-js uses. The visitor's access token comes from the site
 * (`/api/realtime/token`), which refreshes the session from its cookies as every request does,
 * so the browser never handles the refresh token; anonymous visitors join with the anon key.
 */

export interface LiveChannelOptions<P extends object> {
  supabaseUrl: string;
  supabaseKey: string;
  topic: string;
  event: string;
  onMessage: (payload: P) => void;
  marker: HTMLElement;
  onRejoin?: () => void;
  /** Join with presence, under this key (the channel's member key; '' lets the server pick one). */
  presence?: { key: string };
  /** Every other message the server sends on the channel (presence_state, presence_diff…). */
  onEvent?: (event: string, payload: unknown) => void;
  /** After each successful join. */
  onJoin?: () => void;
}

/** Leaves the channel when called; `push` sends a message on it while joined. */
export type LiveChannel = (() => void) & { push: (event: string, payload: object) => void };

interface PhxMessage {
  topic: string;
  event: string;
  payload: unknown;
  ref: string | null;
  join_ref?: string | null;
}

const HEARTBEAT_MS = 25_000;
const BACKOFF_MS = [1_000, 2_000, 5_000, 10_000];
/** Ask for a fresh token this long before the current one expires. */
const REFRESH_MARGIN_S = 60;
export const REALTIME_TOKEN_PATH = '/api/realtime/token';

interface SiteToken {
  token: string | null;
  /** Seconds since the epoch; absent for the anon key. */
  expiresAt?: number | null;
}

async function fetchToken(): Promise<SiteToken> {
  try {
    const res = await fetch(REALTIME_TOKEN_PATH, { credentials: 'same-origin', headers: { accept: 'application/json' }, cache: 'no-store' });
    if (!res.ok) return { token: null };
    const body = (await res.json()) as SiteToken;
    return typeof body.token === 'string' ? body : { token: null };
  } catch {
    return { token: null };
  }
}

export function joinLiveChannel<P extends object>(opts: LiveChannelOptions<P>): LiveChannel {
  const topic = `realtime:${opts.topic}`;
  const wsUrl = `${opts.supabaseUrl.replace(/^http/, 'ws').replace(/\/$/, '')}/realtime/v1/websocket?apikey=${encodeURIComponent(opts.supabaseKey)}&vsn=1.0.0`;
  let ws: WebSocket | undefined;
  let ref = 0;
  let joinRef: string | null = null;
  let pendingHeartbeat: string | null = null;
  let heartbeat: number | undefined;
  let retry: number | undefined;
  let refresh: number | undefined;
  let attempts = 0;
  let left = false;
  let joinedBefore = false;
  let token: SiteToken = { token: null };

  const mark = (on: boolean) => {
    opts.marker.dataset['live'] = on ? 'on' : 'off';
  };
  const send = (m: PhxMessage) => {
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m));
  };
  const nextRef = () => String(++ref);

  const scheduleRefresh = () => {
    window.clearTimeout(refresh);
    if (!token.expiresAt) return;
    const ms = Math.max(5_000, (token.expiresAt - REFRESH_MARGIN_S) * 1000 - Date.now());
    refresh = window.setTimeout(() => {
      void fetchToken().then((t) => {
        if (left) return;
        token = t;
        // Realtime re-checks the channel's rights with the new token and keeps it open.
        if (joinRef) send({ topic, event: 'access_token', payload: { access_token: t.token ?? opts.supabaseKey }, ref: nextRef(), join_ref: joinRef });
        scheduleRefresh();
      });
    }, ms);
  };

  const reconnect = () => {
    if (left) return;
    mark(false);
    joinRef = null;
    window.clearInterval(heartbeat);
    const old = ws;
    ws = undefined;
    if (old && old.readyState <= WebSocket.OPEN) old.close();
    window.clearTimeout(retry);
    retry = window.setTimeout(connect, BACKOFF_MS[Math.min(attempts++, BACKOFF_MS.length - 1)]);
  };

  const join = () => {
    joinRef = nextRef();
    send({
      topic,
      event: 'phx_join',
      payload: {
        config: {
          broadcast: { ack: false, self: false },
          presence: opts.presence ? { key: opts.presence.key, enabled: true } : { key: '' },
          postgres_changes: [],
          private: true,
        },
        access_token: token.token ?? opts.supabaseKey,
      },
      ref: joinRef,
      join_ref: joinRef,
    });
  };

  const onFrame = (m: PhxMessage) => {
    if (m.topic === 'phoenix') {
      if (m.event === 'phx_reply' && m.ref === pendingHeartbeat) pendingHeartbeat = null;
      return;
    }
    if (m.topic !== topic) return;
    if (m.event === 'phx_reply' && m.ref === joinRef) {
      const reply = m.payload as { status?: string; response?: { reason?: string } } | null;
      if (reply?.status !== 'ok') {
        // Kept on the marker for whoever investigates (tests print it); the island keeps trying.
        opts.marker.dataset['liveError'] = String(reply?.response?.reason ?? reply?.status ?? 'join refused');
        return reconnect();
      }
      delete opts.marker.dataset['liveError'];
      attempts = 0;
      mark(true);
      if (joinedBefore) opts.onRejoin?.();
      joinedBefore = true;
      opts.onJoin?.();
      return;
    }
    if (m.event === 'phx_close' || m.event === 'phx_error') {
      // The server closed the channel (an expired token, a restart): start again with a fresh token.
      if (m.join_ref == null || m.join_ref === joinRef) reconnect();
      return;
    }
    if (m.event === 'broadcast') {
      const b = m.payload as { event?: string; payload?: unknown } | null;
      if (b?.event === opts.event && b.payload && typeof b.payload === 'object') opts.onMessage(b.payload as P);
      return;
    }
    if (m.event !== 'phx_reply') opts.onEvent?.(m.event, m.payload);
  };

  function connect() {
    if (left) return;
    void fetchToken().then((t) => {
      if (left) return;
      token = t;
      scheduleRefresh();
      const socket = new WebSocket(wsUrl);
      ws = socket;
      socket.onopen = () => {
        pendingHeartbeat = null;
        join();
        heartbeat = window.setInterval(() => {
          // No answer to the previous heartbeat: the connection is dead even if the socket says open.
          if (pendingHeartbeat) return reconnect();
          pendingHeartbeat = nextRef();
          send({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: pendingHeartbeat });
        }, HEARTBEAT_MS);
      };
      socket.onmessage = (ev: MessageEvent) => {
        if (typeof ev.data !== 'string') return;
        try {
          onFrame(JSON.parse(ev.data) as PhxMessage);
        } catch {
          /* not a frame of ours */
        }
      };
      socket.onclose = () => {
        if (ws === socket) reconnect();
      };
    });
  }

  connect();
  const leave = () => {
    left = true;
    window.clearTimeout(retry);
    window.clearTimeout(refresh);
    window.clearInterval(heartbeat);
    if (joinRef) send({ topic, event: 'phx_leave', payload: {}, ref: nextRef(), join_ref: joinRef });
    ws?.close();
    mark(false);
  };
  return Object.assign(leave, {
    push: (event: string, payload: object) => {
      if (joinRef) send({ topic, event, payload, ref: nextRef(), join_ref: joinRef });
    },
  });
}
