import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { forgeJwt, stack } from '../auth/helpers.ts';
import { unique, waitFor } from './helpers.ts';

/**
 * What the client library never sends on its own: raw frames of the Phoenix protocol — the API key
 * on the upgrade, heartbeats, join errors with Supabase's reasons, tokens that expire or are
 * replaced by invalid ones while a channel is joined.
 */

const sockets: WebSocket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.terminate();
});

const wsUrl = (query: string) => `${stack().supabaseUrl.replace(/^http/, 'ws')}/realtime/v1/websocket?${query}`;

type Frame = [string | null, string | null, string, string, Record<string, unknown>];

async function connect(query = `apikey=${stack().anonKey}&vsn=2.0.0`) {
  const ws = new WebSocket(wsUrl(query));
  sockets.push(ws);
  const frames: Frame[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as Frame));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, frames, send: (f: unknown[]) => ws.send(JSON.stringify(f)) };
}

const joinConfig = { broadcast: { ack: false, self: false }, presence: { key: '', enabled: false }, postgres_changes: [], private: false };

describe('Phoenix protocol', () => {
  it('refuses an upgrade without an API key (401)', async () => {
    const ws = new WebSocket(wsUrl('vsn=2.0.0'));
    sockets.push(ws);
    const status = await new Promise<number>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('error', () => resolve(-1));
    });
    expect(status).toBe(401);
  });

  it('answers heartbeats and echoes join_ref and ref', async () => {
    const c = await connect();
    c.send([null, '7', 'phoenix', 'heartbeat', {}]);
    await waitFor(() => c.frames.length, 5000, 'heartbeat reply');
    expect(c.frames[0]).toEqual([null, '7', 'phoenix', 'phx_reply', { status: 'ok', response: {} }]);
    const topic = `realtime:${unique('t')}`;
    c.send(['3', '3', topic, 'phx_join', { config: joinConfig, access_token: stack().anonKey }]);
    await waitFor(() => c.frames.length === 2, 5000, 'join reply');
    expect(c.frames[1]).toEqual(['3', '3', topic, 'phx_reply', { status: 'ok', response: { postgres_changes: [] } }]);
    c.send(['3', '4', topic, 'phx_leave', {}]);
    await waitFor(() => c.frames.length === 3, 5000, 'leave reply');
    expect(c.frames[2]).toEqual(['3', '4', topic, 'phx_reply', { status: 'ok', response: {} }]);
  });

  it('speaks 1.0.0 objects', async () => {
    const c = await connect(`apikey=${stack().anonKey}&vsn=1.0.0`);
    c.ws.send(JSON.stringify({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: '1', join_ref: null }));
    await waitFor(() => c.frames.length, 5000, 'reply');
    expect(c.frames[0]).toEqual({ topic: 'phoenix', event: 'phx_reply', payload: { status: 'ok', response: {} }, ref: '1', join_ref: null });
  });

  it('refuses joins with bad tokens, with Supabase reasons', async () => {
    const c = await connect();
    const now = Math.floor(Date.now() / 1000);
    c.send(['1', '1', 'realtime:a', 'phx_join', { config: joinConfig, access_token: 'not-a-jwt' }]);
    c.send(['2', '2', 'realtime:b', 'phx_join', { config: joinConfig, access_token: forgeJwt({ role: 'authenticated' }) }]);
    c.send(['3', '3', 'realtime:c', 'phx_join', { config: joinConfig, access_token: forgeJwt({ role: 'authenticated', exp: now - 10 }) }]);
    await waitFor(() => c.frames.length === 3, 5000, 'three replies');
    const reasons = c.frames.map((f) => (f[4].response as { reason: string }).reason);
    expect(reasons[0]).toBe('InvalidJWTToken: The token provided is not a valid JWT');
    expect(reasons[1]).toBe('InvalidJWTToken: Fields `role` and `exp` are required in JWT');
    expect(reasons[2]).toMatch(/^InvalidJWTToken: Token has expired \d+ seconds ago$/);
    expect(c.frames.every((f) => f[4].status === 'error')).toBe(true);
  });

  it('closes a channel when its token expires, and when an invalid access_token replaces it', async () => {
    const c = await connect();
    const now = Math.floor(Date.now() / 1000);
    c.send(['1', '1', 'realtime:short', 'phx_join', { config: joinConfig, access_token: forgeJwt({ role: 'authenticated', sub: crypto.randomUUID(), exp: now + 2 }) }]);
    c.send(['2', '2', 'realtime:long', 'phx_join', { config: joinConfig, access_token: forgeJwt({ role: 'authenticated', sub: crypto.randomUUID(), exp: now + 3600 }) }]);
    await waitFor(() => c.frames.length === 2, 5000, 'joins');
    // A valid refresh gets no reply; an invalid one closes the channel.
    c.send(['2', '3', 'realtime:long', 'access_token', { access_token: forgeJwt({ role: 'authenticated', exp: now + 7200 }) }]);
    c.send(['2', '4', 'realtime:long', 'access_token', { access_token: 'garbage' }]);
    await waitFor(() => c.frames.some((f) => f[2] === 'realtime:long' && f[3] === 'phx_close'), 5000, 'long closed');
    expect(c.frames.filter((f) => f[2] === 'realtime:long' && f[3] === 'phx_reply')).toHaveLength(1);
    await waitFor(() => c.frames.some((f) => f[2] === 'realtime:short' && f[3] === 'phx_close'), 6000, 'short closed at expiry');
    const system = c.frames.find((f) => f[2] === 'realtime:short' && f[3] === 'system');
    expect(system?.[4]).toMatchObject({ status: 'error', message: expect.stringMatching(/^Token has expired/) });
  });
});
