/**
 * The production server as `npm start` runs it (the test stack serves the production build):
 * compression, caching, security headers, and a clean 400 for URLs that cannot be decoded.
 */
import { describe, expect, it } from 'vitest';
import { Browser, createConfirmedUser, signedIn, stack } from '../web/helpers.ts';

const PROPOSALS = '/fr/processes/budget-participatif-2027/f/00000000-0000-4000-8004-000000000010';

async function get(path: string, headers: Record<string, string> = {}) {
  const r = await fetch(`${stack().siteUrl}${path}`, { headers, redirect: 'manual' });
  const body = await r.text();
  return { r, body };
}

/** The hashed assets a page references (scripts, islands, styles). */
function assets(html: string): string[] {
  return [...new Set([...html.matchAll(/\/_astro\/[^"'\s)]+\.(?:js|css)/g)].map((m) => m[0]))];
}

describe('compression', () => {
  it('sends HTML, JS, CSS and JSON in brotli or gzip, as the client accepts', async () => {
    const { body: html } = await get(PROPOSALS);
    const js = assets(html).find((a) => a.endsWith('.js'));
    const css = assets(html).find((a) => a.endsWith('.css'));
    expect(js, 'the proposals list references a script').toBeDefined();
    expect(css, 'the proposals list references a stylesheet').toBeDefined();
    for (const path of [PROPOSALS, '/fr/processes', js!, css!, '/map/style.json']) {
      for (const encoding of ['br', 'gzip']) {
        const r = await fetch(`${stack().siteUrl}${path}`, { headers: { 'accept-encoding': encoding } });
        await r.arrayBuffer();
        expect(r.status, path).toBe(200);
        expect(r.headers.get('content-encoding'), `${path} with ${encoding}`).toBe(encoding);
        expect(r.headers.get('vary') ?? '').toMatch(/accept-encoding/i);
      }
    }
    // A client that accepts none gets the plain bytes.
    const plain = await fetch(`${stack().siteUrl}/fr/processes`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toContain('<html');
  });
});

describe('caching', () => {
  it('hashed /_astro/ assets are immutable for a year; pages are revalidated, and private once signed in', async () => {
    const { r, body } = await get('/fr/');
    expect(r.headers.get('cache-control')).toBe('no-cache');
    const list = await get(PROPOSALS);
    for (const a of assets(list.body)) {
      const asset = await fetch(`${stack().siteUrl}${a}`);
      await asset.arrayBuffer();
      expect(asset.headers.get('cache-control'), a).toBe('public, max-age=31536000, immutable');
    }
    expect(body).toContain('<html');
    const { email, password } = await createConfirmedUser();
    const b = await signedIn(email, password);
    const mine = await b.get('/fr/');
    expect(mine.headers.get('cache-control')).toBe('private, no-store');
  });
});

describe('security headers', () => {
  it('every HTML page carries a CSP without unsafe-inline scripts, allowing only the site, Supabase and the co-editing service', async () => {
    const supabase = new URL(stack().supabaseUrl);
    for (const path of ['/fr/', '/en/processes', PROPOSALS, '/fr/sign-in', '/fr/no-such-page']) {
      const { r } = await get(path);
      const csp = r.headers.get('content-security-policy') ?? '';
      const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name = '', ...values]) => [name, values]));
      expect(directives.get('default-src'), path).toEqual(["'self'"]);
      const scripts = directives.get('script-src') ?? [];
      expect(scripts[0]).toBe("'self'");
      expect(scripts.slice(1).every((s) => /^'sha256-[A-Za-z0-9+/=]+'$/.test(s)), `${path}: ${scripts.join(' ')}`).toBe(true);
      expect(scripts).not.toContain("'unsafe-inline'");
      expect(scripts).not.toContain("'unsafe-eval'");
      // …and the co-editing service the editor island connects to.
      expect(directives.get('connect-src')).toEqual(["'self'", supabase.origin, `ws://${supabase.host}`, `ws://${new URL(stack().collabUrl).host}`]);
      expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
      expect(directives.get('object-src')).toEqual(["'none'"]);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(r.headers.get('permissions-policy')).toContain('camera=()');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it("the CSP's script hashes cover every inline script of the page", async () => {
    const { createHash } = await import('node:crypto');
    const { r, body } = await get(PROPOSALS);
    const csp = r.headers.get('content-security-policy') ?? '';
    const inline = [...body.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
    expect(inline.length).toBeGreaterThan(0);
    for (const text of inline) {
      const hash = `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
      expect(csp, text.slice(0, 80)).toContain(hash);
    }
  });
});

describe('malformed URLs', () => {
  it('answer a 400 page, never a 500 or a stack trace', async () => {
    for (const path of ['/fr/processes/%FF', '/%C0%AF', '/api/comments/%FF', '/fr/%E0%A4%A', '/_astro/%FF.js']) {
      const { r, body } = await get(path);
      expect([400, 404], path).toContain(r.status);
      expect(body).not.toMatch(/URI malformed|\/work\/|node_modules|at [\w.]+ \(/);
      expect(r.headers.get('content-type')).toMatch(/text\/html/);
    }
  });
});

describe('the browser sees', () => {
  it('pages whose scripts run under the CSP (an island hydrates)', async () => {
    // Covered in a real browser by the browser suites (comments, proposals), which run against
    // this same production server; here, that the island markup and its module are served.
    const b = new Browser();
    const html = (await b.get(PROPOSALS)).html;
    const island = html.match(/<astro-island[^>]*component-url="([^"]+)"/);
    expect(island).not.toBeNull();
    const mod = await fetch(`${stack().siteUrl}${island![1]}`);
    expect(mod.status).toBe(200);
    expect(mod.headers.get('content-type')).toMatch(/javascript/);
  });
});
