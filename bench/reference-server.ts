/**
 * The reference y-websocket server for the side-by-side latency figure: @y/websocket-server's own
 * code (src/server.js and utils.js, unchanged), whose published 0.1.x depends on prerelease Yjs 14
 * packages that cannot read what today's y-websocket client sends. A module resolve hook points its
 * `yjs`, `@y/protocols/*` and `lib0/*` imports at the Yjs 13 line the client and our service use,
 * so the comparison is the same algorithm over the same library. Persists nothing.
 * `HOST=127.0.0.1 PORT=… node bench/reference-server.ts`
 */
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

const hooks = `
const root = ${JSON.stringify(pathToFileURL(`${process.cwd()}/`).href)};
export async function resolve(specifier, context, next) {
  if (context.parentURL && context.parentURL.includes('/@y/websocket-server/')) {
    if (specifier === 'yjs') return next('yjs', { ...context, parentURL: root });
    if (specifier.startsWith('@y/protocols/')) return next('y-protocols/' + specifier.slice('@y/protocols/'.length), { ...context, parentURL: root });
    if (specifier.startsWith('lib0/')) return next(specifier, { ...context, parentURL: root });
  }
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
await import('@y/websocket-server/server');
