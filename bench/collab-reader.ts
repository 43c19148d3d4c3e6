/**
 * The second client of the co-editing replay (bench/collab.ts), in a worker thread: another
 * person's browser, so its work is not on the writer's thread. The unchanged provider; posts
 * `{ synced }` once connected, then `{ done: <epoch ms> }` when it holds the whole expected text.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

const { url, room, params, expected } = workerData as { url: string; room: string; params: Record<string, string>; expected: string };
const doc = new Y.Doc();
const provider = new WebsocketProvider(url, room, doc, { params, disableBc: true, WebSocketPolyfill: WebSocket as never });
const text = doc.getText('t');
let messages = 0;
provider.once('sync', () => parentPort!.postMessage({ synced: true }));
doc.on('update', (_update: Uint8Array, origin: unknown) => {
  if (origin === provider) messages++;
  if (text.length === expected.length && text.toString() === expected) {
    parentPort!.postMessage({ done: performance.timeOrigin + performance.now(), messages });
    provider.destroy();
    doc.destroy();
  }
});
const progress = setInterval(() => parentPort!.postMessage({ progress: text.length }), 10_000);
progress.unref();
