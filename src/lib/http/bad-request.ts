/**
 * URLs whose path cannot be decoded (`/fr/processes/%FF`) never reach the router: both the
 * production server (scripts/serve.ts) and the dev server (a middleware in astro.config.mjs)
 * answer them with this page, so neither shows a stack trace. No imports: the Astro config loads it.
 */

export function isDecodablePath(url: string): boolean {
  try {
    decodeURIComponent(url.split('?')[0] ?? '/');
    return true;
  } catch {
    return false;
  }
}

export const BAD_REQUEST_HTML = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Adresse invalide</title></head><body><main><h1>Adresse invalide</h1><p>Cette adresse contient des caractères qui ne forment pas une adresse web valide.</p><p lang="en">This address is not a valid web address.</p><p><a href="/fr/">Retour à l’accueil</a></p></main></body></html>`;

export const BAD_REQUEST_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;
