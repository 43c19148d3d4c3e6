/**
 * The people of the presence benchmark, in a process of their own (forked by bench/debates.ts) so
 * that their CPU is not counted as the server's: raw WebSocket clients speaking the protocol as
 * realtime-js does (vsn 2.0.0), each joining one debate's channel with presence under its own key,
 * then tracking itself, as a debate page does. Each keeps the channel's members from
 * `presence_state` and `presence_diff`; the report says when all had joined, all tracks were
 * acknowledged, and when every client saw every other one.
 */
import WebSocket from 'ws';

interface Start {
  cmd: 'start';
  url: string;
  count: number;
  topic: string;
  token: string;
  private: boolean;
}

type Frame = [string | null, string | null, string, string, Record<string, unknown>];

const sockets: WebSocket[] = [];

async function start(msg: Start) {
  const t0 = performance.now();
  let joined = 0;
  let tracked = 0;
  let converged = 0;
  let refused = 0;
  let messages = 0;
  let joinedMs = 0;
  let trackedMs = 0;
  let convergedMs = 0;
  await new Promise<void>((resolve) => {
    let next = 0;
    const done = () => {
      if (converged === msg.count && tracked + refused === msg.count) resolve();
    };
    const open = () => {
      if (next >= msg.count) return;
      const i = next++;
      const members = new Set<string>();
      let seenAll = false;
      const ws = new WebSocket(msg.url, { perMessageDeflate: false });
      sockets.push(ws);
      ws.on('open', () => {
        const config = { broadcast: { ack: false, self: false }, presence: { key: `p${i}`, enabled: true }, postgres_changes: [], private: msg.private };
        ws.send(JSON.stringify(['1', '1', msg.topic, 'phx_join', { config, access_token: msg.token }]));
        open();
      });
      ws.on('message', (data) => {
        messages++;
        const [, ref, , event, payload] = JSON.parse(data.toString()) as Frame;
        if (event === 'phx_reply' && ref === '1') {
          if ((payload as { status?: string }).status !== 'ok') {
            refused++;
            converged++;
            return done();
          }
          if (++joined === msg.count) joinedMs = performance.now() - t0;
          ws.send(JSON.stringify(['1', '2', msg.topic, 'presence', { type: 'presence', event: 'track', payload: { w: false } }]));
          return;
        }
        if (event === 'phx_reply' && ref === '2') {
          if (++tracked === msg.count) trackedMs = performance.now() - t0;
          return done();
        }
        if (event === 'presence_state') for (const k of Object.keys(payload)) members.add(k);
        else if (event === 'presence_diff') {
          for (const k of Object.keys((payload.joins as object) ?? {})) members.add(k);
          for (const k of Object.keys((payload.leaves as object) ?? {})) members.delete(k);
        } else return;
        if (!seenAll && members.size === msg.count) {
          seenAll = true;
          if (++converged === msg.count) convergedMs = performance.now() - t0;
          done();
        }
      });
    };
    // 50 connection attempts in flight at a time, as a crowd arriving.
    for (let k = 0; k < 50; k++) open();
  });
  return { joined, tracked, refused, joinedMs, trackedMs, convergedMs, messages };
}

process.on('message', (m: { cmd: string } & Partial<Start>) => {
  void (async () => {
    if (m.cmd === 'start') process.send!(await start(m as Start));
    else if (m.cmd === 'stop') {
      for (const ws of sockets) ws.terminate();
      process.exit(0);
    }
  })();
});
