import { failure, type Failure } from '../../lib/forms/index.ts';
import { authErrorCode, authFailure } from '../../lib/supabase/auth-errors.ts';
import { retryAfterSeconds, type SupabaseClient } from '../../lib/supabase/server.ts';

/**
 * An Auth error as a form failure, with the accounts feature's wording for rate limits: what was
 * limited (sign-in attempts, emails) and, when the Auth server said (`Retry-After`), in how many
 * minutes to try again. Everything else is `authFailure`.
 */
export function accountAuthFailure(client: SupabaseClient, error: unknown, fields: Partial<Record<string, string>> = {}): Failure {
  const code = authErrorCode(error);
  const seconds = code === 'over_request_rate_limit' || code === 'over_email_send_rate_limit' ? retryAfterSeconds(client) : undefined;
  const minutes = seconds === undefined ? undefined : Math.max(1, Math.ceil(seconds / 60));
  if (code === 'over_request_rate_limit') {
    return minutes === undefined ? failure(429, 'accounts.rateLimit.signIn') : failure(429, 'accounts.rateLimit.signInRetry', { params: { minutes } });
  }
  // The one-minute throttle per address keeps its usual wording; longer waits (this caller's or
  // everybody's hourly allowance) say how long.
  if (code === 'over_email_send_rate_limit' && minutes !== undefined && minutes > 1) {
    return failure(429, 'accounts.rateLimit.emailRetry', { params: { minutes } });
  }
  return authFailure(error, fields);
}
