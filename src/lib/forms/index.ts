import { ActionError, isActionError, isInputError } from 'astro:actions';
import type { Params } from '../i18n/catalog.ts';
import { issueMessage, type Message } from '../i18n/issues.ts';

/**
 * How a use case says "no" to a form: an HTTP status (always 4xx, or 503 when a service is down),
 * a translatable message and, when it is about one field, that field's name. Use cases return
 * these; actions turn them into ActionErrors; pages read them back with `readFormError`.
 */
export type FailureStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

export interface Failure {
  status: FailureStatus;
  message: Message;
  field?: string;
  /** Several fields at once (settings generated from a schema): field name → its message. */
  fields?: Readonly<Record<string, Message>>;
}

export function failure(status: FailureStatus, key: string, opts: { field?: string; params?: Params } = {}): Failure {
  const message: Message = opts.params ? { key, params: opts.params } : { key };
  return opts.field ? { status, message, field: opts.field } : { status, message };
}

/** A refusal about several fields at once, each with its own message. */
export function fieldFailures(status: FailureStatus, fields: Readonly<Record<string, Message>>): Failure {
  return { status, message: { key: 'form.errorSummary' }, fields };
}

export type Result<T> = { ok: true; value: T } | { ok: false; failure: Failure };
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const notOk = (f: Failure): Result<never> => ({ ok: false, failure: f });

const MARK = 'decidons-failure:';

/**
 * An ActionError carrying a Failure. The action result travels as JSON between the action and
 * the page, so the failure is encoded in the message; the code sets the response status.
 */
export function toActionError(f: Failure): ActionError {
  return new ActionError({ code: ActionError.statusToCode(f.status), message: MARK + JSON.stringify(f) });
}

/** What a page needs to re-render a failed form: messages for the summary and per field. */
export interface FormErrors {
  status: number;
  /** Errors that concern the whole form (wrong credentials, rate limit…). */
  form: Message[];
  /** Errors per field name; the first one is shown under the field. */
  fields: Record<string, Message[]>;
}

const STATUS_MESSAGES: Record<number, string> = {
  400: 'error.bad_request',
  401: 'error.unauthorized',
  403: 'error.forbidden',
  404: 'error.not_found',
  413: 'error.content_too_large',
  415: 'error.unsupported_media_type',
  429: 'error.rate_limited',
  503: 'error.unavailable',
};

/** Reads the error of an action result (input errors, encoded failures, Astro's own errors). */
export function readFormError(error: unknown): FormErrors | undefined {
  if (!error) return undefined;
  if (isInputError(error)) {
    const fields: Record<string, Message[]> = {};
    const form: Message[] = [];
    for (const issue of error.issues) {
      const name = issue.path[0];
      const message = issueMessage(issue);
      if (name === undefined) form.push(message);
      else (fields[String(name)] ??= []).push(message);
    }
    return { status: error.status, form, fields };
  }
  if (isActionError(error)) {
    if (error.message.startsWith(MARK)) {
      try {
        const f = JSON.parse(error.message.slice(MARK.length)) as Failure;
        if (f.fields) {
          const fields: Record<string, Message[]> = {};
          for (const [name, m] of Object.entries(f.fields)) fields[name] = [m];
          return { status: error.status, form: [], fields };
        }
        if (f.field) return { status: error.status, form: [], fields: { [f.field]: [f.message] } };
        return { status: error.status, form: [f.message], fields: {} };
      } catch {
        // fall through to the generic message
      }
    }
    return { status: error.status, form: [{ key: STATUS_MESSAGES[error.status] ?? 'error.generic' }], fields: {} };
  }
  return { status: 500, form: [{ key: 'error.generic' }], fields: {} };
}

/** The first message for a field, if any. */
export function fieldError(errors: FormErrors | undefined, name: string): Message | undefined {
  return errors?.fields[name]?.[0];
}

/**
 * The values a visitor typed, to put back in the form after a failure. Never passwords (the
 * caller lists the fields), never more than `max` characters per field, and nothing from a body
 * too big to have been accepted.
 */
export async function submittedValues(request: Request, names: readonly string[], max = 2000): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (request.method !== 'POST') return out;
  const type = request.headers.get('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return out;
  // Browsers always send a length with a form; a body of unknown size is not worth reading twice.
  const length = Number(request.headers.get('content-length') ?? 'NaN');
  if (!Number.isFinite(length) || length > 1024 * 1024) return out;
  try {
    const form = await request.clone().formData();
    for (const name of names) {
      const v = form.get(name);
      if (typeof v === 'string') out[name] = v.slice(0, max);
    }
  } catch {
    // an unreadable body leaves the form empty
  }
  return out;
}

/**
 * The posted form itself, to fill a complex form again after a refusal (translated fields,
 * multiple checkboxes). Same limits as `submittedValues`; read values with `formString`.
 */
export async function submittedForm(request: Request, maxBytes = 1024 * 1024): Promise<FormData | null> {
  if (request.method !== 'POST') return null;
  const type = request.headers.get('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return null;
  const length = Number(request.headers.get('content-length') ?? 'NaN');
  if (!Number.isFinite(length) || length > maxBytes) return null;
  try {
    return await request.clone().formData();
  } catch {
    return null;
  }
}

// Pure (no Astro import), so shared modules outside the site (bench, workers) can use it too.
export { formString } from './fields.ts';
