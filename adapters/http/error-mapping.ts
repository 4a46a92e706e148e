import { ServiceUnavailable } from '../../application/errors.js';
import { DomainError, TooManyLoginAttempts, type DomainErrorCode } from '../../domain/index.js';
import { problem, type Problem } from './problem.js';
import { HttpRequestError, RequestValidationError } from './request-validation-error.js';

interface Mapping {
  readonly status: number;
  /** Whether the problem lists the field, as validation failures do. */
  readonly validation?: boolean;
  readonly wwwAuthenticate?: string;
  /** Members added to the problem body, for clients that read a standard's own field. */
  readonly extensions?: Readonly<Record<string, string>>;
}

/** The one place where a domain error becomes an HTTP status. */
const DOMAIN_ERRORS: Record<DomainErrorCode, Mapping> = {
  invalid_email: { status: 422, validation: true },
  invalid_username: { status: 422, validation: true },
  weak_password: { status: 422, validation: true },
  current_password_required: { status: 422, validation: true },
  email_taken: { status: 409 },
  username_taken: { status: 409 },
  // RFC 6750 §3: a challenge on every 401. Log-in failures name no error: no token was presented.
  invalid_credentials: { status: 401, wwwAuthenticate: 'Bearer' },
  inactive_user: { status: 403 },
  invalid_token: { status: 401, wwwAuthenticate: 'Bearer error="invalid_token"' },
  wrong_current_password: { status: 403 },
  // RFC 6749 §5.2: a bad refresh token is a 400 `invalid_grant`; OAuth clients look for that member.
  invalid_refresh_token: { status: 400, extensions: { error: 'invalid_grant' } },
  too_many_login_attempts: { status: 429 },
  session_not_found: { status: 404 },
  // fastapi-users answers a bad verify or reset token with 400.
  invalid_one_time_token: { status: 400 },
  email_not_verified: { status: 403, extensions: { error: 'email_not_verified' } },
};

export interface MappedError {
  readonly body: Problem;
  readonly headers: Readonly<Record<string, string>>;
  /** True for a failure of ours rather than of the request: logged with its stack. */
  readonly unexpected: boolean;
}

/** Errors raised with Koa's `ctx.throw` or http-errors for a client's mistake, meant to be shown. */
interface ExposedHttpError {
  status: number;
  expose: true;
  message: string;
}

function isExposedHttpError(error: unknown): error is ExposedHttpError {
  const candidate = error as Partial<ExposedHttpError> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    candidate.expose === true &&
    typeof candidate.status === 'number' &&
    candidate.status >= 400 &&
    candidate.status < 500
  );
}

export function mapError(error: unknown): MappedError {
  if (error instanceof RequestValidationError) {
    return { body: problem(422, 'Request validation failed', { errors: error.errors }), headers: {}, unexpected: false };
  }
  if (error instanceof DomainError) {
    const mapping = DOMAIN_ERRORS[error.code];
    const errors = mapping.validation && error.field ? [{ path: error.field, message: error.message }] : undefined;
    const headers: Record<string, string> = {};
    if (mapping.wwwAuthenticate) headers['WWW-Authenticate'] = mapping.wwwAuthenticate;
    if (error instanceof TooManyLoginAttempts) headers['Retry-After'] = String(error.retryAfterSeconds);
    return {
      body: problem(mapping.status, error.message, { ...mapping.extensions, ...(errors ? { errors } : {}) }),
      headers,
      unexpected: false,
    };
  }
  if (error instanceof HttpRequestError) {
    return { body: problem(error.status, error.detail), headers: {}, unexpected: false };
  }
  if (error instanceof ServiceUnavailable) {
    return {
      body: problem(503, 'The service is temporarily unavailable, try again shortly'),
      headers: { 'Retry-After': String(error.retryAfterSeconds) },
      unexpected: false,
    };
  }
  if (isExposedHttpError(error)) {
    return { body: problem(error.status, error.message), headers: {}, unexpected: false };
  }
  return { body: problem(500, 'An unexpected error occurred'), headers: {}, unexpected: true };
}
