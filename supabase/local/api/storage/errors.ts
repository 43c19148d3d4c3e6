/**
 * Supabase Storage's errors (supabase/storage `src/internal/errors/codes.ts`, `storage-error.ts`,
 * `src/http/error-handler.ts`): the body is `{statusCode, code, error, message}` with the
 * *logical* status as a string in `statusCode`, and the HTTP status is 400 for every 4xx (500 stays
 * 500) unless the error says otherwise (`withStatus`) — storage-js reads both (`status` and
 * `statusCode` of its StorageApiError).
 */

export class StorageHttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly error: string | undefined;
  httpStatus: number;

  constructor(opts: { code: string; statusCode: number; message: string; error?: string }) {
    super(opts.message);
    this.name = 'StorageHttpError';
    this.code = opts.code;
    this.statusCode = opts.statusCode;
    this.error = opts.error;
    this.httpStatus = opts.statusCode === 500 ? 500 : 400;
  }

  withStatus(status: number): this {
    this.httpStatus = status;
    return this;
  }

  body(): { statusCode: string; code: string; error: string; message: string } {
    return { statusCode: String(this.statusCode), code: this.code, error: this.error ?? this.code, message: this.message };
  }
}

const e = (code: string, statusCode: number, message: string, error?: string) =>
  new StorageHttpError(error === undefined ? { code, statusCode, message } : { code, statusCode, message, error });

export const ERRORS = {
  NoSuchBucket: () => e('NoSuchBucket', 404, 'Bucket not found', 'Bucket not found'),
  NoSuchKey: () => e('NoSuchKey', 404, 'Object not found', 'not_found'),
  BucketNotEmpty: () => e('ResourceNotEmpty', 409, 'The bucket you tried to delete is not empty'),
  BucketAlreadyExists: () => e('BucketAlreadyExists', 409, 'The resource already exists', 'Duplicate'),
  KeyAlreadyExists: () => e('KeyAlreadyExists', 409, 'The resource already exists', 'Duplicate'),
  ResourceAlreadyExists: () => e('ResourceAlreadyExists', 409, 'The resource already exists', 'Duplicate'),
  AccessDenied: (message = 'Access denied') => e('AccessDenied', 403, message, 'Unauthorized'),
  InvalidJWT: (message = 'Invalid JWT') => e('InvalidJWT', 400, message),
  InvalidSignature: (message = 'Invalid signature') => e('InvalidSignature', 400, message),
  ExpiredSignature: () => e('ExpiredToken', 400, 'The provided token has expired.'),
  InvalidBucketName: () => e('InvalidBucketName', 400, 'Bucket name invalid', 'Invalid Input'),
  InvalidKey: (key: string) => e('InvalidKey', 400, `Invalid key: ${key}`),
  InvalidMimeType: (mime: string) => e('InvalidMimeType', 415, `mime type ${mime} is not supported`, 'invalid_mime_type'),
  EntityTooLarge: (entity = 'object', limit = 'the maximum allowed size') =>
    e('EntityTooLarge', 413, `The ${entity} exceeded ${limit}`, 'Payload too large'),
  InvalidFileSizeLimit: () => e('InvalidRequest', 400, 'Invalid file size format, hint: use 20GB / 20MB / 30KB / 3B'),
  NoContentProvided: (message = 'No content provided') => e('InvalidRequest', 400, message),
  InvalidRequest: (message = 'Invalid Request') => e('InvalidRequest', 400, message),
  InvalidParameter: (parameter: string, message?: string) => e('InvalidParameter', 400, message ?? `Invalid Parameter ${parameter}`),
  MissingParameter: (parameter: string) => e('MissingParameter', 400, `Missing Required Parameter ${parameter}`),
  ImageProcessingError: (status: number, message: string) => e(status > 499 ? 'InternalError' : 'InvalidRequest', status, message),
  FeatureNotEnabled: (feature: string) => e('FeatureNotEnabled', 409, `The feature ${feature} is not enabled for this resource`),
  InternalError: (message = 'Internal server error') => e('InternalError', 500, message),
  /** Fastify's schema validation failures (ajv messages), as Storage's error handler renders them. */
  Validation: (message: string) => e('InvalidRequest', 400, message, 'Bad Request'),
  /** Fastify's unmatched route (`setRestNotFoundHandler`). */
  RouteNotFound: (method: string, path: string) =>
    e('InvalidRequest', 404, `Route ${method}:${path} not found`, 'Not Found').withStatus(404),
};

/**
 * A Postgres error raised by a statement run as the caller's role, as Storage maps it
 * (`src/storage/database/errors.ts` `DBError.fromDBError`).
 */
export function fromPgError(err: unknown): StorageHttpError | undefined {
  if (!err || typeof err !== 'object' || !('code' in err)) return undefined;
  const { code, message } = err as { code: string; message: string };
  switch (code) {
    case '42501':
      return ERRORS.AccessDenied(/row-level security/.test(message) ? 'new row violates row-level security policy' : message);
    case '23505':
      return ERRORS.ResourceAlreadyExists();
    case '23503':
      return e('InvalidRequest', 404, 'The related resource does not exist');
    case '22P02':
      return ERRORS.InvalidParameter('value', message || 'Invalid value format or type conversion failed');
    case '23514':
    case 'P0001':
      // A check or a trigger of the app's (a size or type rule on storage.objects): its message is the reason.
      return ERRORS.InvalidRequest(message);
    default:
      return undefined;
  }
}
