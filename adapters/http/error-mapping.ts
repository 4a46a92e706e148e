import { ServiceUnavailable } from '../../application/errors.js';
import {
  CurrentPasswordRequired,
  DomainError,
  EmailTaken,
  InactiveUser,
  InvalidCredentials,
  InvalidEmail,
  InvalidRefreshToken,
  InvalidToken,
  InvalidUsername,
  InvalidCursor,
  InvalidOneTimeToken,
  EmailNotVerified,
  FreshAuthenticationRequired,
  InvalidReauthenticationCode,
  InvalidTokenRequest,
  MfaLocked,
  SecondFactorCodeRequired,
  UnsupportedGrantType,
  InvalidMfaLogIn,
  InvalidPasskey,
  InvalidPasskeyLogIn,
  PasskeyNotFound,
  PasskeysUnavailable,
  InvalidOtp,
  LastSuperuser,
  MfaAlreadyEnabled,
  MfaNotEnabled,
  MfaNotEnrolled,
  MfaRequired,
  NotASuperuser,
  PasswordPolicy,
  SessionNotFound,
  UserNotFound,
  TooManyLoginAttempts,
  UsernameTaken,
  WrongCurrentPassword,
  type DomainErrorCode,
} from '../../domain/index.js';
import { ForbiddenWebhookTarget, WebhookNotFound } from '../../application/webhooks/webhook-errors.js';
import { problem, type Problem } from './problem.js';
import { HttpRequestError, RequestValidationError } from './request-validation-error.js';

interface Mapping {
  readonly status: number;
  /** Whether the problem lists the field, as validation failures do. */
  readonly validation?: boolean;
  readonly wwwAuthenticate?: string;
  /**
   * An `error` code in the body, with `error_description`: RFC 6749 §5.2's `invalid_grant`, which OAuth client
   * libraries read (authlib's `fetch_token()` took a problem without them for a token), or the contract's own
   * codes for a log-in that needs one more step.
   */
  readonly oauthError?:
    | 'invalid_grant'
    | 'mfa_required'
    | 'email_not_verified'
    | 'insufficient_user_authentication'
    | 'mfa_locked'
    | 'unsupported_grant_type'
    | 'invalid_request';
  /** The error as the domain raises it, for the OpenAPI document's examples: no message is copied by hand. */
  readonly example: () => DomainError;
}

/** What the password policy says of a too short password, whatever its wording is today. */
function weakPasswordExample(): DomainError {
  try {
    new PasswordPolicy({ has: () => false }).check('short', { username: 'johndoe', email: 'user@example.com' });
  } catch (error) {
    if (error instanceof DomainError) return error;
  }
  throw new Error('The password policy accepted a 5-character password');
}

/** The one place where a domain error becomes an HTTP status. */
const DOMAIN_ERRORS: Record<DomainErrorCode, Mapping> = {
  invalid_email: { status: 422, validation: true, example: () => new InvalidEmail() },
  invalid_username: { status: 422, validation: true, example: () => new InvalidUsername() },
  weak_password: { status: 422, validation: true, example: weakPasswordExample },
  current_password_required: { status: 422, validation: true, example: () => new CurrentPasswordRequired() },
  email_taken: { status: 409, example: () => new EmailTaken() },
  username_taken: { status: 409, example: () => new UsernameTaken() },
  // RFC 6750 §3: a challenge on every 401. Log-in failures name no error in it: no token was presented. The
  // seed's 401 stays (clients rely on it); the body says `invalid_grant` as RFC 6749 §5.2 would.
  invalid_credentials: { status: 401, wwwAuthenticate: 'Bearer', oauthError: 'invalid_grant', example: () => new InvalidCredentials() },
  inactive_user: { status: 403, example: () => new InactiveUser() },
  invalid_token: { status: 401, wwwAuthenticate: 'Bearer error="invalid_token"', example: () => new InvalidToken() },
  wrong_current_password: { status: 403, example: () => new WrongCurrentPassword() },
  // RFC 6749 §5.2: a bad refresh token is a 400 `invalid_grant`; OAuth clients look for that member.
  invalid_refresh_token: { status: 400, oauthError: 'invalid_grant', example: () => new InvalidRefreshToken() },
  too_many_login_attempts: { status: 429, example: () => new TooManyLoginAttempts(300) },
  session_not_found: { status: 404, example: () => new SessionNotFound() },
  not_a_superuser: { status: 403, example: () => new NotASuperuser() },
  last_superuser: { status: 409, example: () => new LastSuperuser() },
  user_not_found: { status: 404, example: () => new UserNotFound() },
  invalid_cursor: { status: 422, validation: true, example: () => new InvalidCursor() },
  // The password was right; the body also carries the error's `mfaToken` as `mfa_token` (see mapError).
  mfa_required: { status: 403, oauthError: 'mfa_required', example: () => new MfaRequired('opaque-mfa-token', 300) },
  // RFC 6749 §5.2, as for a refresh token: the second step is a grant too.
  invalid_mfa_login: { status: 400, oauthError: 'invalid_grant', example: () => new InvalidMfaLogIn() },
  invalid_otp: { status: 400, validation: true, example: () => new InvalidOtp() },
  mfa_already_enabled: { status: 409, example: () => new MfaAlreadyEnabled() },
  mfa_not_enrolled: { status: 409, example: () => new MfaNotEnrolled() },
  mfa_not_enabled: { status: 409, example: () => new MfaNotEnabled() },
  // fastapi-users answers a bad verify or reset token with 400.
  invalid_one_time_token: { status: 400, example: () => new InvalidOneTimeToken() },
  email_not_verified: { status: 403, oauthError: 'email_not_verified', example: () => new EmailNotVerified() },
  invalid_passkey: { status: 400, example: () => new InvalidPasskey() },
  passkey_not_found: { status: 404, example: () => new PasskeyNotFound() },
  // One answer for every failed passkey log-in, as for a bad refresh token (RFC 6749 §5.2).
  invalid_passkey_login: { status: 400, oauthError: 'invalid_grant', example: () => new InvalidPasskeyLogIn() },
  // Passkeys are off on this server (PUBLIC_URL names an IP address): the routes name nothing that exists here.
  passkeys_unavailable: { status: 404, example: () => new PasskeysUnavailable() },
  // RFC 9470 §3: the challenge names the error and the max_age the action needs (see mapError for the value).
  insufficient_user_authentication: {
    status: 401,
    wwwAuthenticate: 'Bearer error="insufficient_user_authentication"',
    oauthError: 'insufficient_user_authentication',
    example: () => new FreshAuthenticationRequired(300),
  },
  code_required: { status: 422, validation: true, example: () => new SecondFactorCodeRequired() },
  // RFC 6749 §5.2, as for the log-in's second step: proving the credentials again is a grant too.
  invalid_reauthentication_code: { status: 400, oauthError: 'invalid_grant', example: () => new InvalidReauthenticationCode() },
  // 423 Locked (RFC 4918 §11.3): the account, not the request, is what refuses until its owner resets the password.
  mfa_locked: { status: 423, oauthError: 'mfa_locked', example: () => new MfaLocked() },
  unsupported_grant_type: { status: 400, oauthError: 'unsupported_grant_type', example: () => new UnsupportedGrantType('client_credentials') },
  invalid_request: { status: 400, oauthError: 'invalid_request', example: () => new InvalidTokenRequest('grant_type is required', 'grant_type') },
  webhook_not_found: { status: 404, example: () => new WebhookNotFound() },
  forbidden_webhook_target: { status: 422, validation: true, example: () => new ForbiddenWebhookTarget() },
};

/** How a domain error code answers: its status, and the headers and members its problem carries. */
export function domainErrorMapping(code: DomainErrorCode): Mapping {
  return DOMAIN_ERRORS[code];
}

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
    if (error instanceof FreshAuthenticationRequired) headers['WWW-Authenticate'] = `${mapping.wwwAuthenticate}, max_age=${error.maxAgeSeconds}`;
    if (error instanceof TooManyLoginAttempts) headers['Retry-After'] = String(error.retryAfterSeconds);
    return {
      body: problem(mapping.status, error.message, {
        ...(mapping.oauthError ? { error: mapping.oauthError, error_description: error.message } : {}),
        // The second step of the log-in takes this token; it is no bearer token and opens nothing by itself.
        ...(error instanceof MfaRequired ? { mfa_token: error.mfaToken, expires_in: error.expiresIn } : {}),
        ...(errors ? { errors } : {}),
      }),
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
