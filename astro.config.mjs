// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import preact from '@astrojs/preact';
import { BAD_REQUEST_HEADERS, BAD_REQUEST_HTML, isDecodablePath } from './src/lib/http/bad-request.ts';

/**
 * The dev server decodes URLs in middlewares of its own that answer a stack trace (500) when a
 * URL cannot be decoded (`/fr/processes/%FF`). This one runs before them and answers the same 400
 * page as scripts/serve.ts does in production.
 * @returns {import('vite').Plugin}
 */
function rejectMalformedUrls() {
  return {
    name: 'decidons:reject-malformed-urls',
    configureServer(server) {
      /** @type {import('vite').Connect.NextHandleFunction} */
      const guard = (req, res, next) => {
        if (isDecodablePath(req.url ?? '/')) return next();
        res.writeHead(400, BAD_REQUEST_HEADERS);
        res.end(BAD_REQUEST_HTML);
      };
      // First in the stack, even before the middlewares Astro puts first (it unshifts them in its
      // own post hook, which runs before this one): they decode the URL too.
      return () => {
        server.middlewares.stack.unshift({ route: '', handle: guard });
      };
    },
  };
}

/**
 * RFC 8058 one-click unsubscribe in `npm run dev` as in production: mail providers post
 * cross-site to the address of the emails' `List-Unsubscribe` header, which Astro's same-origin
 * check refuses. The same handler as scripts/serve.ts answers it before Astro (loaded through
 * Vite, as the site's own code is).
 * @returns {import('vite').Plugin}
 */
function oneClickUnsubscribe() {
  return {
    name: 'decidons:one-click-unsubscribe',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.method !== 'POST') return next();
        server
          .ssrLoadModule('/src/features/notifications/one-click.server.ts')
          .then((m) => {
            if (!m['answerOneClick'](req, res)) next();
          })
          .catch(next);
      });
    },
  };
}

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  integrations: [preact()],
  // The locale lives in the URL (/fr/…, /en/…); src/lib/i18n owns the list and the fallback.
  trailingSlash: 'ignore',
  security: {
    checkOrigin: true,
    // Attachments: a 10 MB file and its form (the server checks the file itself, the buckets again).
    actionBodySizeLimit: 11 * 1024 * 1024,
    // Astro hashes every script it puts in a page, so script-src needs no 'unsafe-inline'. Styles
    // keep it: a few elements carry computed colours and indents in style attributes, which
    // hashes cannot cover. The directives that depend on the deployment (the Supabase URL, the
    // map's sources) are added per response by src/lib/http/security-headers.ts.
    csp: {
      algorithm: 'SHA-256',
      styleDirective: { resources: ["'self'", "'unsafe-inline'"] },
    },
  },
  server: { host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 4321) },
  devToolbar: { enabled: false },
  // No Markdown pages here; Shiki's inline styles would also not pass the CSP.
  markdown: { syntaxHighlight: false },
  vite: {
    plugins: [rejectMalformedUrls(), oneClickUnsubscribe()],
    server: {
      watch: { ignored: ['**/.data/**'] },
      fs: {
        // The dev server serves files from the project folder to whoever asks (`/<path>?raw`,
        // `/@fs/…`): never the database files, the Supabase folder (seed, local API), env files,
        // server-only modules or the tooling. Vite's own defaults are repeated because this list
        // replaces them.
        deny: [
          '.env',
          '.env.*',
          '*.{crt,pem,key}',
          '**/.git/**',
          '**/.data/**',
          '**/supabase/**',
          '**/scripts/**',
          '**/workers/**',
          '**/tests/**',
          '**/bench/**',
          '**/*.server.ts',
          '**/src/middleware.ts',
          '**/src/actions/**',
          '**/src/pages/**/*.ts',
          '**/src/lib/config.ts',
          '**/src/lib/db/**',
        ],
      },
    },
  },
});
