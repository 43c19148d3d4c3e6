/**
 * The security headers of every HTML response. Astro computes the script hashes of each page
 * (its `content-security-policy` header in the production build); the rest of the policy depends
 * on the deployment — where Supabase is (its REST/Auth over https, Realtime over wss), whether the
 * map uses Mapbox — so it is added here, per response, from the configuration.
 */

export interface SecurityHeaderOptions {
  supabaseUrl: string;
  siteUrl: string;
  mapboxToken: string | undefined;
  /** CSP frame-ancestors sources; `'none'` unless the deployment allows embedding. */
  frameAncestors: string;
  /** The co-editing service's WebSocket address (ws:// or wss://), which the editor island opens. */
  collabUrl?: string | undefined;
}

const MAPBOX_CONNECT = ['https://api.mapbox.com', 'https://events.mapbox.com', 'https://*.tiles.mapbox.com'];
const MAPBOX_IMG = ['https://api.mapbox.com', 'https://*.tiles.mapbox.com'];

/** `http://host:port` → the same origin over its WebSocket scheme, for Realtime. */
function websocketOrigin(url: string): string {
  const u = new URL(url);
  return `${u.protocol === 'https:' ? 'wss:' : 'ws:'}//${u.host}`;
}

/** The deployment's directives, before Astro's script-src and style-src. */
export function deploymentDirectives(o: SecurityHeaderOptions): string[] {
  const supabase = new URL(o.supabaseUrl).origin;
  const map = o.mapboxToken ? { connect: MAPBOX_CONNECT, img: MAPBOX_IMG } : { connect: [], img: [] };
  const collab = o.collabUrl ? [`${new URL(o.collabUrl).protocol}//${new URL(o.collabUrl).host}`] : [];
  return [
    "default-src 'self'",
    `connect-src 'self' ${[supabase, websocketOrigin(o.supabaseUrl), ...collab, ...map.connect].join(' ')}`,
    `img-src 'self' data: blob: ${[supabase, ...map.img].join(' ')}`,
    "font-src 'self' data:",
    // mapbox-gl runs its tile workers from blob: URLs.
    "worker-src 'self' blob:",
    "child-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${o.frameAncestors}`,
    ...(o.siteUrl.startsWith('https:') ? ['upgrade-insecure-requests'] : []),
  ];
}

/**
 * The headers of a deployment, built once: the directives and headers that depend only on the
 * configuration are computed here; per response, only Astro's script and style directives (the
 * hashes of that page's scripts) are merged in. Without Astro's part (the dev server, whose injected
 * scripts change at every edit) only the directives that cannot break a page are sent.
 */
export function securityHeaders(o: SecurityHeaderOptions): (astroPolicy: string | null) => Record<string, string> {
  const ours = deploymentDirectives(o);
  const names = new Set(ours.map((d) => d.split(' ')[0]));
  const devPolicy = [`frame-ancestors ${o.frameAncestors}`, "object-src 'none'", "base-uri 'self'"].join('; ');
  const fixed: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    // Geolocation stays available to the site itself ("near me" on the map); the rest is off.
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(self), payment=(), usb=(), interest-cohort=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
  if (o.frameAncestors === "'none'") fixed['X-Frame-Options'] = 'DENY';
  if (o.siteUrl.startsWith('https:')) fixed['Strict-Transport-Security'] = 'max-age=31536000; includeSubDomains';
  return (astroPolicy) => {
    if (!astroPolicy) return { 'Content-Security-Policy': devPolicy, ...fixed };
    const astros = astroPolicy
      .split(';')
      .map((d) => d.trim())
      .filter((d) => d && !names.has(d.split(/\s+/)[0] ?? ''));
    return { 'Content-Security-Policy': [...ours, ...astros].join('; '), ...fixed };
  };
}
