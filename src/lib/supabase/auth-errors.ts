import { isAuthError, isAuthRetryableFetchError, isAuthWeakPasswordError } from '@supabase/supabase-js';
import { failure, type Failure, type FailureStatus } from '../forms/index.ts';
import { fr } from '../i18n/messages/fr.ts';

const STATUS_BY_CODE: Record<string, FailureStatus> = {
  over_email_send_rate_limit: 429,
  over_request_rate_limit: 429,
  over_sms_send_rate_limit: 429,
  user_already_exists: 422,
  email_exists: 422,
  weak_password: 422,
  same_password: 422,
  signup_disabled: 422,
  otp_disabled: 422,
  email_address_not_authorized: 422,
  invalid_credentials: 400,
  email_not_confirmed: 400,
  validation_failed: 400,
  otp_expired: 400,
  flow_state_not_found: 400,
  flow_state_expired: 400,
  bad_code_verifier: 400,
  pkce_code_verifier_not_found: 400,
  email_address_invalid: 400,
  reauthentication_needed: 401,
  session_not_found: 401,
  session_expired: 401,
  bad_jwt: 401,
  no_authorization: 401,
  user_banned: 403,
  user_not_found: 404,
};

/** The error code of an Auth error (GoTrue's `code`), if it has one. */
export function authErrorCode(error: unknown): string | undefined {
  if (isAuthWeakPasswordError(error)) return 'weak_password';
  if (isAuthError(error) && typeof error.code === 'string') return error.code;
  return undefined;
}

/**
 * Maps an Auth (GoTrue) error to a translated form failure: `auth.error.<code>` with a 4xx
 * status, or 503 when the Auth server could not be reached. `fields` attaches some codes to a
 * field (weak_password → password). GoTrue's English messages never reach the page.
 */
export function authFailure(error: unknown, fields: Partial<Record<string, string>> = {}): Failure {
  if (isAuthRetryableFetchError(error) || !isAuthError(error)) return failure(503, 'error.unavailable');
  const code = authErrorCode(error) ?? '';
  const key = Object.hasOwn(fr, `auth.error.${code}`) ? `auth.error.${code}` : 'auth.error.unknown';
  let status = STATUS_BY_CODE[code];
  if (!status) {
    const s = error.status ?? 0;
    status = s === 429 ? 429 : s >= 500 ? 503 : s === 422 ? 422 : 400;
  }
  const field = fields[code];
  return failure(status, key, field ? { field } : {});
}
