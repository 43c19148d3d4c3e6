/**
 * GoTrue's error vocabulary. Every failure leaves the API as `{code, message}` with the
 * `X-Supabase-Api-Version: 2024-01-01` header: auth-js reads `code` only when that header is
 * present (reference §A.1, pitfall F.1), and 5xx statuses make it retry instead of signing out
 * (F.2), so the status chosen here is part of the contract, not decoration.
 */

export const API_VERSION = '2024-01-01';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Fields sent next to `code` and `message` (e.g. `weak_password`, OAuth `error`). */
  readonly extra: Record<string, unknown>;
  /** Response headers that go with the error (`Retry-After` on a 429). */
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.extra = extra;
    this.headers = headers;
  }
}

export const badRequest = (code: string, message: string) => new ApiError(400, code, message);
export const unauthorized = (code: string, message: string) => new ApiError(401, code, message);
export const forbidden = (code: string, message: string) => new ApiError(403, code, message);
export const notFound = (code: string, message: string) => new ApiError(404, code, message);
export const unprocessable = (code: string, message: string) => new ApiError(422, code, message);
export const tooManyRequests = (code: string, message: string, headers: Record<string, string> = {}) =>
  new ApiError(429, code, message, {}, headers);
export const serverError = (message: string) => new ApiError(500, 'unexpected_failure', message);

export const validationFailed = (message: string) => badRequest('validation_failed', message);

/** The token endpoint's OAuth2-shaped errors; `code`/`message` are added so every error reads alike. */
export const oauthError = (error: string, description: string) =>
  new ApiError(400, 'validation_failed', description || error, { error, error_description: description });

export const weakPassword = (message: string, reasons: string[]) =>
  new ApiError(422, 'weak_password', message, { weak_password: { reasons } });

export const emailExists = () =>
  unprocessable('email_exists', 'A user with this email address has already been registered');

export const phoneExists = () => unprocessable('phone_exists', 'Phone number already registered by another user');

/** GoTrue's per-address throttle message, counting the seconds left as it does (truncated). */
export const emailFrequencyLimited = (secondsLeft: number) =>
  tooManyRequests(
    'over_email_send_rate_limit',
    `For security purposes, you can only request this after ${Math.max(0, Math.trunc(secondsLeft))} seconds.`,
    { 'Retry-After': String(Math.max(1, Math.ceil(secondsLeft))) },
  );

export function errorBody(err: ApiError): Record<string, unknown> {
  return { code: err.code, message: err.message, ...err.extra };
}

/** Postgres error codes worth telling apart from genuine faults. */
export function pgCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

export function pgConstraint(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'constraint_name' in err && typeof err.constraint_name === 'string'
    ? err.constraint_name
    : undefined;
}
