import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // tsconfig's `@/…` (used by pages, components, actions and type-only imports; modules that plain
  // Node loads — scripts, workers, bench and what they import — keep relative paths).
  // `astro:actions` is a virtual module of Astro's build: tests that call use cases directly (they
  // import src/lib/forms, which builds ActionErrors) get Astro's own runtime of its error classes.
  resolve: {
    alias: {
      '@/': `${resolve(import.meta.dirname, 'src')}/`,
      'astro:actions': resolve(import.meta.dirname, 'node_modules/astro/dist/actions/runtime/client.js'),
    },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    // One stack (Postgres, SMTP catcher, local API, web server) per run, shared by every file;
    // tests isolate themselves with unique accounts and, where they need it, their own database.
    globalSetup: ['tests/setup/global-setup.ts'],
    reporters: ['default', './tests/setup/summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
