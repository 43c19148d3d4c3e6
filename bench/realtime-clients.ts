/**
 * The subscribers of the Realtime benchmark, in a process of their own (forked by bench/realtime.ts)
 * so that their CPU and memory are not counted as the server's. Raw WebSocket clients speaking the
 * protocol as realtime-js does (vsn 2.0.0); each joins one topic, with a postgres_changes binding
 * or not, and records commit → arrival latency from each message's commit timestamp.
 */
import WebSocket from 'ws';

interface Start {
  cmd: 'start';
  url: string;
  count: number;
  topic: string;
  token: string;
  table?: string;
}

const sockets: WebSocket[] = [];
let latencies: number[] = [];
let received = 0;
let firstAt = 0;
let lastAt = 0;

function onMessage(data: WebSocket.RawData) {
  const now = Date.now();
  const [, , , event, payload] = JSON.parse(data.toString()) as [unknown, unknown, string, string, Record<string, unknown>];
  let committed: number | undefined;
  if (event === 'postgres_changes') committed = Date.parse((payload.data as { commit_timestamp: string }).commit_timestamp);
  else if (event === 'broadcast') committed = Number((payload.payload as { sent_at?: number }).sent_at);
  if (committed === undefined || Number.isNaN(committed)) return;
  received++;
  firstAt ||= now;
  lastAt = now;
  latencies.push(now - committed);
}

async function start(msg: Start) {
  let joined = 0;
  const heartbeat = setInterval(() => {
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(JSON.stringify([null, 'hb', 'phoenix', 'heartbeat', {}]));
  }, 25_000);
  heartbeat.unref();
  await new Promise<void>((resolve, reject) => {
    let next = 0;
    const open = () => {
      if (next >= msg.count) return;
      next++;
      const ws = new WebSocket(msg.url, { perMessageDeflate: false });
      sockets.push(ws);
      ws.on('error', reject);
      ws.on('open', () => {
        const config = {
          broadcast: { ack: false, self: false },
          presence: { key: '', enabled: false },
          postgres_changes: msg.table ? [{ event: 'INSERT', schema: 'public', table: msg.table }] : [],
          private: false,
        };
        ws.send(JSON.stringify(['1', '1', msg.topic, 'phx_join', { config, access_token: msg.token }]));
        open();
      });
      ws.on('message', (data) => {
        const text = data.toString();
        if (text.includes('"phx_reply"') && text.startsWith('["1","1"')) {
          if (++joined === msg.count) resolve();
          return;
        }
        onMessage(data);
      });
    };
    // 50 connection attempts in flight at a time.
    for (let k = 0; k < 50; k++) open();
  });
}

process.on('message', (m: { cmd: string } & Partial<Start>) => {
  void (async () => {
    if (m.cmd === 'start') {
      await start(m as Start);
      process.send!({ ready: sockets.length });
    } else if (m.cmd === 'reset') {
      latencies = [];
      received = 0;
      firstAt = lastAt = 0;
      process.send!({ ok: true });
    } else if (m.cmd === 'report') {
      latencies.sort((a, b) => a - b);
      const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
      process.send!({ received, spanMs: lastAt - firstAt, p50: pct(50), p95: pct(95), p99: pct(99) });
    } else if (m.cmd === 'stop') {
      for (const ws of sockets) ws.terminate();
      process.exit(0);
    }
  })();
});
