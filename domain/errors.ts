/**
 * Domain errors are values with a stable `code` (as jose's errors are), so the edge can map them to a
 * transport without matching on messages. Each carries a message that is safe to show a client:
 * never a password, a hash or a token.
 */
export type DomainErrorCode =
  | 'invalid_email'
  | 'invalid_username'
  | 'weak_password'
  | 'current_password_required'
  | 'email_taken'
  | 'username_taken'
  | 'invalid_credentials'
  | 'inactive_user'
  | 'invalid_token'
  | 'wrong_current_password'
  | 'invalid_refresh_token'
  | 'too_many_login_attempts'
  | 'session_not_found'
  | 'not_a_superuser'
  | 'last_superuser'
  | 'user_not_found'
  | 'invalid_cursor'
  | 'mfa_required'
  | 'invalid_mfa_login'
  | 'invalid_otp'
  | 'mfa_already_enabled'
  | 'mfa_not_enrolled'
  | 'mfa_not_enabled'
  | 'invalid_one_time_token'
  | 'email_not_verified'
  | 'invalid_passkey'
  | 'passkey_not_found'
  | 'invalid_passkey_login'
  | 'passkeys_unavailable'
  | 'insufficient_user_authentication'
  | 'code_required'
  | 'invalid_reauthentication_code'
  | 'mfa_locked'
  | 'unsupported_grant_type'
  | 'invalid_request'
  | 'webhook_not_found'
  | 'forbidden_webhook_target';

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  /** The input field the error is about, when it is about one. */
  readonly field: string | undefined;

  constructor(message: string, field?: string) {
    super(message);
    this.name = new.target.name;
    this.field = field;
  }
}

export class InvalidEmail extends DomainError {
  readonly code = 'invalid_email';
  constructor(message = 'Email address is not valid') {
    super(message, 'email');
  }
}

export class InvalidUsername extends DomainError {
  readonly code = 'invalid_username';
  constructor(message = 'Username must be 3 to 50 letters, digits, "_", "." or "-"') {
    super(message, 'username');
  }
}

export class WeakPassword extends DomainError {
  readonly code = 'weak_password';
  constructor(message: string, field = 'password') {
    super(message, field);
  }
}

export class CurrentPasswordRequired extends DomainError {
  readonly code = 'current_password_required';
  constructor() {
    super('current_password is required to change the password', 'current_password');
  }
}

export class EmailTaken extends DomainError {
  readonly code = 'email_taken';
  constructor() {
    super('Email already registered', 'email');
  }
}

export class UsernameTaken extends DomainError {
  readonly code = 'username_taken';
  constructor() {
    super('Username already taken', 'username');
  }
}

/** One error for an unknown user and a wrong password alike, so the answer reveals neither. */
export class InvalidCredentials extends DomainError {
  readonly code = 'invalid_credentials';
  constructor() {
    super('Incorrect username or password');
  }
}

export class InactiveUser extends DomainError {
  readonly code = 'inactive_user';
  constructor() {
    super('Account is inactive');
  }
}

/** Missing, malformed, expired, foreign or revoked token, or its user is gone: callers need not know which. */
export class InvalidToken extends DomainError {
  readonly code = 'invalid_token';
  constructor(message = 'Could not validate credentials') {
    super(message);
  }
}

export class WrongCurrentPassword extends DomainError {
  readonly code = 'wrong_current_password';
  constructor() {
    super('Current password is incorrect', 'current_password');
  }
}

/**
 * A refresh token that is unknown, expired, revoked, or already rotated (RFC 6749 §5.2 `invalid_grant`). A rotated
 * one presented again has already revoked its session by the time this is thrown.
 */
export class InvalidRefreshToken extends DomainError {
  readonly code = 'invalid_refresh_token';
  constructor() {
    super('Refresh token is invalid, expired or revoked');
  }
}

/** Too many failed log-ins for one account (from anywhere, or from one address): try again later. */
export class TooManyLoginAttempts extends DomainError {
  readonly code = 'too_many_login_attempts';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed log-in attempts, try again in ${retryAfterSeconds} s`);
  }
}

/** No open session with that id belongs to the current user. */
export class SessionNotFound extends DomainError {
  readonly code = 'session_not_found';
  constructor() {
    super('No such session');
  }
}

/** The action needs a superuser and the caller is not one. */
export class NotASuperuser extends DomainError {
  readonly code = 'not_a_superuser';
  constructor() {
    super('Only a superuser may do this');
  }
}

/** The change would leave no active superuser to administer the service. */
export class LastSuperuser extends DomainError {
  readonly code = 'last_superuser';
  constructor() {
    super('The last active superuser cannot be demoted, deactivated or deleted');
  }
}

/** No user has that id (administration routes only: elsewhere an unknown user is a credentials error). */
export class UserNotFound extends DomainError {
  readonly code = 'user_not_found';
  constructor() {
    super('No such user');
  }
}

/** A pagination cursor this service did not hand out (or one for another list). */
export class InvalidCursor extends DomainError {
  readonly code = 'invalid_cursor';
  constructor() {
    super('cursor is not one this list handed out', 'cursor');
  }
}

/**
 * The password was right and the account has two-factor log-in on: no tokens yet. Carries the `mfa_token` the
 * client presents with its code; the token is not in the message, so logging the error leaks nothing.
 */
export class MfaRequired extends DomainError {
  readonly code = 'mfa_required';
  constructor(
    readonly mfaToken: string,
    /** Seconds the token stays usable. */
    readonly expiresIn: number,
  ) {
    super('A second factor is required');
  }
}

/** The second step of a log-in failed: a wrong, reused or stale code, or a dead `mfa_token` (RFC 6749 §5.2). */
export class InvalidMfaLogIn extends DomainError {
  readonly code = 'invalid_mfa_login';
  constructor() {
    super('The code or the mfa_token is invalid, used or expired', 'code');
  }
}

/** A wrong, reused or stale TOTP or recovery code when confirming or turning off the factor. */
export class InvalidOtp extends DomainError {
  readonly code = 'invalid_otp';
  constructor() {
    super('The code is invalid or was already used', 'code');
  }
}

export class MfaAlreadyEnabled extends DomainError {
  readonly code = 'mfa_already_enabled';
  constructor() {
    super('Two-factor log-in is already on');
  }
}

/** Confirming with no enrolment pending. */
export class MfaNotEnrolled extends DomainError {
  readonly code = 'mfa_not_enrolled';
  constructor() {
    super('No two-factor enrolment is pending: start one first');
  }
}

export class MfaNotEnabled extends DomainError {
  readonly code = 'mfa_not_enabled';
  constructor() {
    super('Two-factor log-in is not on');
  }
}

/** A mailed token (verification, reset, revert) that is unknown, expired, already used or voided since. */
export class InvalidOneTimeToken extends DomainError {
  readonly code = 'invalid_one_time_token';
  constructor() {
    super('Token is invalid, expired or already used', 'token');
  }
}

/** With REQUIRE_VERIFIED_EMAIL, an account logs in only once its address is verified. */
export class EmailNotVerified extends DomainError {
  readonly code = 'email_not_verified';
  constructor() {
    super('Email address is not verified');
  }
}

/** A registration response that does not verify, answers no challenge of this user, or names a known credential. */
export class InvalidPasskey extends DomainError {
  readonly code = 'invalid_passkey';
  constructor(message = 'The passkey could not be verified; ask for new options and try again') {
    super(message, 'response');
  }
}

export class PasskeyNotFound extends DomainError {
  readonly code = 'passkey_not_found';
  constructor() {
    super('Passkey not found');
  }
}

/**
 * A passkey log-in that failed, whatever the reason (unknown credential, spent or expired challenge, bad signature,
 * regressed counter): one answer, so a caller learns nothing about which credentials exist (RFC 6749 §5.2).
 */
export class InvalidPasskeyLogIn extends DomainError {
  readonly code = 'invalid_passkey_login';
  constructor() {
    super('The passkey assertion is invalid, or its challenge is expired or already used');
  }
}

/** WEBAUTHN_RP_ID could not be derived: PUBLIC_URL names an IP address, which WebAuthn refuses as an RP ID. */
export class PasskeysUnavailable extends DomainError {
  readonly code = 'passkeys_unavailable';
  constructor() {
    super('Passkeys are not available on this server: PUBLIC_URL names an IP address, and WebAuthn needs a host name');
  }
}

/**
 * A sensitive action needs a proof of the credentials made within the last `maxAgeSeconds` (RFC 9470): fresh ones
 * in the request, or a session whose `auth_time` is recent enough and, for an account with two-factor log-in on,
 * came from a proof that included the second factor.
 */
export class FreshAuthenticationRequired extends DomainError {
  readonly code = 'insufficient_user_authentication';
  constructor(readonly maxAgeSeconds: number) {
    super('This action needs a recent authentication: send current_password (and code), or POST /auth/reauthenticate first');
  }
}

/** The account has two-factor log-in on: a proof of the password alone is not enough. */
export class SecondFactorCodeRequired extends DomainError {
  readonly code = 'code_required';
  constructor() {
    super('The account has two-factor log-in on: a code (TOTP or recovery) is required too', 'code');
  }
}

/** A wrong, reused or stale code when proving the credentials again (RFC 6749 §5.2 `invalid_grant`). */
export class InvalidReauthenticationCode extends DomainError {
  readonly code = 'invalid_reauthentication_code';
  constructor() {
    super('The code is invalid or was already used', 'code');
  }
}

/**
 * Too many consecutive wrong second-factor codes (NIST SP 800-63B §5.2.2): every code is refused until the owner
 * resets the password from a mailed link.
 */
export class MfaLocked extends DomainError {
  readonly code = 'mfa_locked';
  constructor() {
    super('Two-factor log-in is locked after too many wrong codes; reset the password from a mailed link to unlock it');
  }
}

/** RFC 6749 §5.2: a grant type this endpoint does not serve. */
export class UnsupportedGrantType extends DomainError {
  readonly code = 'unsupported_grant_type';
  constructor(grantType: string) {
    super(`grant_type ${JSON.stringify(grantType.slice(0, 40))} is not supported here`, 'grant_type');
  }
}

/** RFC 6749 §5.2: a token request missing a required parameter. */
export class InvalidTokenRequest extends DomainError {
  readonly code = 'invalid_request';
  constructor(message: string, field?: string) {
    super(message, field);
  }
}
