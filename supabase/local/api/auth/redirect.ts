import type { Config } from '../../../../src/lib/config.ts';
import { header } from '../http.ts';
import type { AuthRequest } from './context.ts';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * gobwas/glob as GoTrue compiles URI_ALLOW_LIST entries, with `.` and `/` as separators: `*` stays
 * within one segment, `**` crosses them, `?` is one character, `{a,b}` alternatives.
 */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^./]*';
    else if (c === '?') re += '[^./]';
    else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) re += '|';
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  // An unbalanced `{` would otherwise make an invalid expression out of a config typo.
  re += ')'.repeat(braces);
  return new RegExp(`^${re}$`);
}

/**
 * GoTrue's `IsRedirectURLValid`: same scheme and host as SITE_URL (any port on loopback hosts,
 * the same port elsewhere), or a match in the allow list.
 */
export function isRedirectAllowed(config: Config, candidate: string): boolean {
  if (!candidate) return false;
  let target: URL;
  let site: URL;
  try {
    target = new URL(candidate);
    site = new URL(config.siteUrl);
  } catch {
    return false;
  }
  if (target.protocol === site.protocol && target.hostname === site.hostname) {
    if (target.port === site.port || LOOPBACK.has(site.hostname)) return true;
  }
  return config.auth.uriAllowList.some((pattern) => globToRegExp(pattern).test(candidate));
}

/** GoTrue's `GetReferrer`: `redirect_to` if allowed, else the Referer header if allowed, else SITE_URL. */
export function redirectTarget(req: AuthRequest, config: Config, candidate = req.query.get('redirect_to') ?? ''): string {
  if (isRedirectAllowed(config, candidate)) return candidate;
  const referer = header(req.raw, 'referer') ?? '';
  if (isRedirectAllowed(config, referer)) return referer;
  return config.siteUrl;
}
