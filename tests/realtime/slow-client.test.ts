import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { anonClient, stack } from '../auth/helpers.ts';
import { subscribe, unique, waitFor } from './helpers.ts';

/**
 * A client that stops reading must not hold the others back: the server drops it once its send
 * buffer passes a limit, instead of buffering without end or waiting for it.
 */

const client = anonClient();
afterAll(async () => {
  await client.removeAllChannels();
});

describe('a slow client', () => {
  it('is disconnected while the others keep receiving', async () => {
    const topic = unique('slow');
    const laggard = new WebSocket(`${stack().supabaseUrl.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${stack().anonKey}&vsn=2.0.0`);
    await new Promise((r) => laggard.once('open', r));
    let joined = false;
    laggard.on('message', () => (joined = true));
    const config = { broadcast: { ack: false, self: false }, presence: { key: '', enabled: false }, postgres_changes: [], private: false };
    laggard.send(JSON.stringify(['1', '1', `realtime:${topic}`, 'phx_join', { config, access_token: stack().anonKey }]));
    await waitFor(() => joined, 5000, 'laggard joined');
    // Stop reading from the socket: the kernel buffers fill, then the server's.
    (laggard as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    let closed = false;
    laggard.on('close', () => (closed = true));

    let heard = 0;
    expect((await subscribe(client.channel(topic).on('broadcast', { event: 'big' }, () => heard++))).status).toBe('SUBSCRIBED');
    const blob = 'x'.repeat(256 * 1024);
    const total = 100; // 25 MiB for the laggard
    for (let i = 0; i < total; i++) {
      const res = await fetch(`${stack().supabaseUrl}/realtime/v1/api/broadcast`, {
        method: 'POST',
        headers: { apikey: stack().anonKey, 'Content-Type': 'application/json' },
        body: JSON.stringify({ messages: [{ topic, event: 'big', payload: { i, blob } }] }),
      });
      expect(res.status).toBe(202);
    }
    await waitFor(() => heard === total, 15_000, 'every message for the healthy client');
    (laggard as unknown as { _socket: { resume(): void } })._socket.resume();
    await waitFor(() => closed, 15_000, 'the laggard disconnected');
  }, 40_000);
});
