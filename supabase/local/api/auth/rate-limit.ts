import type { Config } from '../../../../src/lib/config.ts';
import { tooManyRequests } from './errors.ts';

/**
 * Limits kept in memory: they reset when the process restarts, which is fine for a single local
 * process. (The per-address email throttle is not here: it reads the `*_sent_at` columns, as
 * GoTrue does, so it survives restarts.) A limit of 0 means "no limit".
 */
export class SlidingWindow {
  readonly limit: number;
  readonly windowMs: number;
  #hits = new Map<string, number[]>();

  constructor(limit: number, windowMs: number) {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  #recent(key: string, now: number): number[] {
    const recent = (this.#hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length > 0) this.#hits.set(key, recent);
    else this.#hits.delete(key);
    return recent;
  }

  /** Whether `key` has used its whole window. */
  isFull(key: string, now = Date.now()): boolean {
    return this.limit > 0 && this.#recent(key, now).length >= this.limit;
  }

  /** Counts one event for `key`; false when the window is already full (the event is not counted). */
  take(key: string, now = Date.now()): boolean {
    if (this.limit <= 0) return true;
    const recent = this.#recent(key, now);
    const allowed = recent.length < this.limit;
    if (allowed) {
      recent.push(now);
      this.#hits.set(key, recent);
    }
    if (this.#hits.size > 10_000) this.#prune(now);
    return allowed;
  }

  /** Forgets `key` (a correct password clears the account's failures). */
  reset(key: string): void {
    this.#hits.delete(key);
  }

  /** Seconds until `key` may act again (when its oldest counted event leaves the window), at least 1. */
  retryAfter(key: string, now = Date.now()): number {
    const oldest = this.#recent(key, now)[0] ?? now;
    return Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
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
  /** Failed passwords and codes per account (the normalised address), from any IP. */
  accountFailures: SlidingWindow;
  /** Requests that send an email, per client IP: no one caller can spend the hourly budget. */
  emailRequests: SlidingWindow;
  /** Every email the API sends, all addresses together. */
  emails: SlidingWindow;
}

export function createRateLimits(config: Config): RateLimits {
  return {
    signIn: new SlidingWindow(config.auth.signInAttemptsPer5Min, 5 * 60_000),
    accountFailures: new SlidingWindow(config.auth.signInFailuresPerAccountPer5Min, 5 * 60_000),
    emailRequests: new SlidingWindow(config.auth.emailRequestsPerIpPerHour, 60 * 60_000),
    emails: new SlidingWindow(config.auth.emailsPerHour, 60 * 60_000),
  };
}

/**
 * 429s carry `Retry-After` (seconds), so a client can say when to try again; the code and message
 * are GoTrue's.
 */
function limited(window: SlidingWindow, key: string, code: string, message: string) {
  return tooManyRequests(code, message, { 'Retry-After': String(window.retryAfter(key)) });
}

export function takeSignInAttempt(limits: RateLimits, ip: string): void {
  if (!limits.signIn.take(ip)) throw limited(limits.signIn, ip, 'over_request_rate_limit', 'Request rate limit reached');
}

/** Refuses an account that has had too many failed passwords or codes lately, whoever is asking. */
export function checkAccountFailures(limits: RateLimits, email: string): void {
  const key = email.trim().toLowerCase();
  if (limits.accountFailures.isFull(key)) throw limited(limits.accountFailures, key, 'over_request_rate_limit', 'Request rate limit reached');
}

export function recordAccountFailure(limits: RateLimits, email: string): void {
  limits.accountFailures.take(email.trim().toLowerCase());
}

export function clearAccountFailures(limits: RateLimits, email: string): void {
  limits.accountFailures.reset(email.trim().toLowerCase());
}

export function takeEmailRequest(limits: RateLimits, ip: string): void {
  if (!limits.emailRequests.take(ip)) {
    throw limited(limits.emailRequests, ip, 'over_email_send_rate_limit', 'Email rate limit exceeded');
  }
}

export function takeEmailSend(limits: RateLimits): void {
  if (!limits.emails.take('all')) throw limited(limits.emails, 'all', 'over_email_send_rate_limit', 'Email rate limit exceeded');
}
