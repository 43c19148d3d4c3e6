/**
 * What a page costs a phone before it can be used: the requests its HTML makes at load (scripts,
 * island modules and their static imports, styles) and their bytes, measured on the production
 * build over HTTP. Dynamic imports (the map's bundle, loaded on demand) are counted apart: they
 * are not part of the load. Used by `npm run bench` (the report) and by the page-weight budget
 * test (bytes do not depend on the machine's speed).
 */
import { gzipSync } from 'node:zlib';

export interface Asset {
  url: string;
  kind: 'html' | 'js' | 'css';
  bytes: number;
  gzipBytes: number;
}

export interface PageWeight {
  path: string;
  status: number;
  requests: number;
  /** Uncompressed bytes of everything loaded. */
  bytes: number;
  /** The same, gzipped (what the server sends). */
  gzipBytes: number;
  jsGzipBytes: number;
  assets: Asset[];
  /** Modules only reachable through import(): fetched later, on demand. */
  deferredJsGzipBytes: number;
  deferred: string[];
}

/** Static imports and re-exports of a built (minified) ES module. */
export function staticImports(code: string): string[] {
  const out = new Set<string>();
  const re = /(?:^|[;\s}\n])(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["'`]([^"'`]+\.m?js)["'`]/g;
  for (const m of code.matchAll(re)) out.add(m[1]!);
  return [...out];
}

export function dynamicImports(code: string): string[] {
  return [...new Set([...code.matchAll(/import\(\s*["'`]([^"'`]+\.m?js)["'`]\s*\)/g)].map((m) => m[1]!))];
}

/** The assets a page's HTML loads by itself: scripts, module preloads, islands and renderers, styles. */
export function htmlAssets(html: string): { js: string[]; css: string[] } {
  const js = new Set<string>();
  const css = new Set<string>();
  for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) js.add(m[1]!);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) js.add(m[1]!);
  for (const m of html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)) css.add(m[1]!);
  for (const m of html.matchAll(/<link[^>]*href="([^"]+)"[^>]*rel="stylesheet"/g)) css.add(m[1]!);
  for (const [tag] of html.matchAll(/<astro-island[^>]*>/g)) {
    for (const m of tag.matchAll(/\s(?:component-url|renderer-url)="([^"]+)"/g)) js.add(m[1]!);
  }
  for (const m of html.matchAll(/\bimport\(["'](\/_astro\/[^"']+\.js)["']\)/g)) js.add(m[1]!);
  return { js: [...js].map(decodeEntities), css: [...css].map(decodeEntities) };
}

function decodeEntities(s: string): string {
  return s.replaceAll('&amp;', '&').replaceAll('&#38;', '&');
}

export async function pageWeight(site: string, path: string, headers: Record<string, string> = {}): Promise<PageWeight> {
  const res = await fetch(`${site}${path}`, { headers: { 'accept-encoding': 'identity', ...headers } });
  const html = await res.text();
  const assets: Asset[] = [{ url: path, kind: 'html', bytes: Buffer.byteLength(html), gzipBytes: gzipSync(html).length }];
  const { js, css } = htmlAssets(html);
  const seen = new Set<string>();
  const deferredUrls = new Set<string>();
  const fetchText = async (url: string) => {
    const r = await fetch(new URL(url, site), { headers: { 'accept-encoding': 'identity' } });
    if (!r.ok) throw new Error(`${url}: ${r.status}`);
    return r.text();
  };
  const queue = [...js];
  while (queue.length > 0) {
    const url = new URL(queue.shift()!, site).pathname;
    if (seen.has(url)) continue;
    seen.add(url);
    const code = await fetchText(url);
    assets.push({ url, kind: 'js', bytes: Buffer.byteLength(code), gzipBytes: gzipSync(code).length });
    for (const dep of staticImports(code)) queue.push(new URL(dep, new URL(url, site)).pathname);
    for (const dep of dynamicImports(code)) deferredUrls.add(new URL(dep, new URL(url, site)).pathname);
  }
  for (const url of css) {
    const code = await fetchText(url);
    assets.push({ url, kind: 'css', bytes: Buffer.byteLength(code), gzipBytes: gzipSync(code).length });
  }
  // What import() reaches, minus what the page already loaded, with its own static imports.
  const deferred: string[] = [];
  let deferredJsGzipBytes = 0;
  const dq = [...deferredUrls];
  const dseen = new Set<string>();
  while (dq.length > 0) {
    const url = dq.shift()!;
    if (seen.has(url) || dseen.has(url)) continue;
    dseen.add(url);
    const code = await fetchText(url);
    deferred.push(url);
    deferredJsGzipBytes += gzipSync(code).length;
    for (const dep of [...staticImports(code), ...dynamicImports(code)]) dq.push(new URL(dep, new URL(url, site)).pathname);
  }
  const sum = (f: (a: Asset) => number, kind?: Asset['kind']) => assets.filter((a) => !kind || a.kind === kind).reduce((n, a) => n + f(a), 0);
  return {
    path,
    status: res.status,
    requests: assets.length,
    bytes: sum((a) => a.bytes),
    gzipBytes: sum((a) => a.gzipBytes),
    jsGzipBytes: sum((a) => a.gzipBytes, 'js'),
    assets,
    deferredJsGzipBytes,
    deferred,
  };
}
