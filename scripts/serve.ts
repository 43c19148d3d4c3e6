/**
 * The production web process: the built Astro site (`npm run build`) behind compression. This is
 * what `npm start` runs, and what a deployment runs, one or more per machine behind a proxy:
 * `npm run serve` (stateless; workers and the database are separate processes).
 *
 * The Astro Node adapter serves the hashed `/_astro/` files with a year-long immutable cache and
 * renders everything else; this wrapper adds brotli/gzip for every compressible type (HTML, JS,
 * CSS, JSON, SVG) and turns URLs that cannot be decoded into a plain 400 page instead of letting
 * them reach the router.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import compression from 'compression';
import { getConfig } from '../src/lib/config.ts';
import { BAD_REQUEST_HEADERS, BAD_REQUEST_HTML, isDecodablePath } from '../src/lib/http/bad-request.ts';
import { answerOneClick } from '../src/features/notifications/one-click.server.ts';
import { buildEntry } from './build.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export async function createWebServer(outDir?: string) {
  // The adapter must not listen by itself: we wrap its handler.
  process.env['ASTRO_NODE_AUTOSTART'] = 'disabled';
  const entry = (await import(pathToFileURL(buildEntry(outDir)).href)) as { handler: Handler };
  const compress = compression({ threshold: 512 });
  return createServer((req, res) => {
    if (!isDecodablePath(req.url ?? '/')) {
      res.writeHead(400, BAD_REQUEST_HEADERS);
      res.end(BAD_REQUEST_HTML);
      return;
    }
    // RFC 8058 one-click unsubscribe: mail providers post cross-site, which Astro's same-origin
    // check (rightly) refuses for every other form; the signed token is this one's authorisation.
    if (answerOneClick(req, res)) return;
    compress(req as never, res as never, () => entry.handler(req, res));
  });
}

if (import.meta.main) {
  const config = getConfig();
  const server = await createWebServer(process.env['ASTRO_OUT_DIR']);
  server.keepAliveTimeout = 65_000; // longer than common proxies' idle timeout
  server.listen(config.port, config.host, () => console.log(`Site: http://${config.host}:${config.port}`));
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
