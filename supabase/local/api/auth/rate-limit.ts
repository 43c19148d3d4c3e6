import type { Config } from '../../../../src/lib/config.ts';
import { tooManyRequests } from './errors.ts';

/**
 * GoTrue's global limits, kept in memory: they reset when the process restarts, which is fine for
 * a single local process. (The per-address email throttle is not here: it reads the `*_sent_at`
 * columns, as GoTrue does, so it survives restarts.) A limit of 0 means "no limit".
 */
export class SlidingWindow {
  readonly limit: number;
  readonly windowMs: number;
  #hits = new Map<string, number[]>();

  constructor(limit: number, windowMs: number) {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  /** Counts one event for `key`; false when the window is already full (the event is not counted). */
  take(key: string, now = Date.now()): boolean {
    if (this.limit <= 0) return true;
    const recent = (this.#hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    const allowed = recent.length < this.limit;
    if (allowed) recent.push(now);
    this.#hits.set(key, recent);
    if (this.#hits.size > 10_000) this.#prune(now);
    return allowed;
  }

  #prune(now: number): void {
    for (const [key, hits] of this.#hits) {
      if (!hits.some((t) => t > now - this.windowMs)) this.#hits.delete(key);
    }
  }
}

export interface RateLimits {
  /** Password sign-ins, OTP requests and verifications, per client IP. */
  signIn: SlidingWindow;
  /** Every email the API sends, all addresses together. */
  emails: SlidingWindow;
}

export function createRateLimits(config: Config): RateLimits {
  return {
    signIn: new SlidingWindow(config.auth.signInAttemptsPer5Min, 5 * 60_000),
    emails: new SlidingWindow(config.auth.emailsPerHour, 60 * 60_000),
  };
}

export function takeSignInAttempt(limits: RateLimits, ip: string): void {
  if (!limits.signIn.take(ip)) throw tooManyRequests('over_request_rate_limit', 'Request rate limit reached');
}

export function takeEmailSend(limits: RateLimits): void {
  if (!limits.emails.take('all')) throw tooManyRequests('over_email_send_rate_limit', 'Email rate limit exceeded');
}
