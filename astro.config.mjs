// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import preact from '@astrojs/preact';

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  integrations: [preact()],
  // The locale lives in the URL (/fr/…, /en/…); src/lib/i18n owns the list and the fallback.
  trailingSlash: 'ignore',
  security: { checkOrigin: true },
  server: { host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 4321) },
  devToolbar: { enabled: false },
  vite: {
    server: { watch: { ignored: ['**/.data/**'] } },
  },
});
