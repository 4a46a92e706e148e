import { z } from 'zod';
import { AUDIT_EVENT_TYPES, EMAIL_MAX_LENGTH, PASSWORD_MIN_LENGTH, TOTP_DIGITS, USERNAME_MAX_LENGTH, USERNAME_MIN_LENGTH, USERNAME_PATTERN } from '../../domain/index.js';

/**
 * Request and response shapes of the HTTP API. The same schemas validate requests and generate the OpenAPI
 * document, so the two cannot disagree. Sizes here only bound the work a request can cause; the rules
 * (password strength, email normalization) live in the domain.
 */

// Long enough for any passphrase a person types; the domain refuses past 72 bytes with its own message.
const PASSWORD_MAX_CHARS = 1024;
const SECRET_EXAMPLE = 'correct horse battery staple';

/** A count of seconds or a status: OWASP's API4 lint wants integers typed and bounded for generated clients. */
const int32 = (minimum: number) => z.int32().min(minimum).meta({ format: 'int32' });

const email = z.email({ error: 'Must be a valid email address' }).max(EMAIL_MAX_LENGTH).meta({ examples: ['user@example.com'] });
const username = z
  .string()
  .regex(USERNAME_PATTERN, { error: `Must be ${USERNAME_MIN_LENGTH} to ${USERNAME_MAX_LENGTH} letters, digits, "_", "." or "-"` })
  // The pattern bounds the length already; stated for generated clients, without a second error per field.
  .meta({ examples: ['johndoe'], minLength: USERNAME_MIN_LENGTH, maxLength: USERNAME_MAX_LENGTH });
// A new password: the document says what the domain needs, so a form built from it refuses what the server would.
const password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, { error: `Must be at least ${PASSWORD_MIN_LENGTH} characters` })
  .max(PASSWORD_MAX_CHARS).meta({ format: 'password', examples: [SECRET_EXAMPLE] });
// A password being checked (log-in, current password): any length, the check says whether it is right.
const presentedPassword = z.string().min(1).max(PASSWORD_MAX_CHARS).meta({ format: 'password', examples: [SECRET_EXAMPLE] });

/**
 * A TOTP code (spaces forgiven: apps show "123 456") or a recovery code as handed out ("abcd-efgh-ijkl-mnop", any
 * case, dashes or spaces optional). The shape only bounds the input; whether it is right is the use case's call.
 */
const secondFactorCode = z
  .string()
  .max(32)
  .regex(new RegExp(`^(?:\\d{${TOTP_DIGITS / 2}} ?\\d{${TOTP_DIGITS / 2}}|[A-Za-z2-7]{4}(?:[ -]?[A-Za-z2-7]{4}){3})$`), {
    error: `Must be a ${TOTP_DIGITS}-digit code or a recovery code`,
  })
  .meta({ examples: ['123456', 'abcd-efgh-ijkl-mnop'] });

export const RegisterRequest = z
  .object({ email, username, password })
  .meta({ id: 'RegisterRequest', description: 'A new account. The password must be at least 8 characters and at most 72 bytes, not common, not containing the username or email.' });

export const LoginRequest = z
  .object({
    username: z.string().min(1).max(EMAIL_MAX_LENGTH).meta({ description: 'The username or the email address', examples: ['johndoe'] }),
    password: presentedPassword,
    // Any text: another value than `password` is RFC 6749 §5.2's 400 `unsupported_grant_type`, not a 422.
    grant_type: z.string().max(64).optional().meta({ description: 'OAuth2 password grant: `password`, or absent' }),
    scope: z.string().max(1024).optional().meta({ description: 'Accepted for OAuth2 clients and ignored' }),
  })
  .meta({ id: 'LoginRequest' });

export const UpdateUserRequest = z
  .object({
    email: email.optional(),
    username: username.optional(),
    password: password.optional(),
    current_password: presentedPassword.optional().meta({
      description: 'Fresh credentials for an email or password change; not needed in a session authenticated within REAUTH_MAX_AGE_SECONDS',
    }),
    code: secondFactorCode.optional().meta({ description: 'With current_password, when two-factor log-in is on: a TOTP or recovery code' }),
  })
  .meta({
    id: 'UpdateUserRequest',
    description: 'Any of the fields. Changing the password needs current_password and revokes every earlier token.',
    // JSON Schema 2020-12: a generated client can enforce what the domain does (CurrentPasswordRequired).
    dependentRequired: { password: ['current_password'] },
  });

export const UserResponse = z
  .object({
    id: z.uuid(),
    email: z.email(),
    username: z.string(),
    is_active: z.boolean(),
    is_verified: z.boolean().meta({ description: 'Whether the email address followed a verification link; read-only' }),
    is_superuser: z.boolean().meta({ description: 'May administer every account; changed only by another superuser or `npm run users`' }),
    mfa_enabled: z.boolean().meta({ description: 'Whether log-in asks for a TOTP code after the password; read-only here, see /users/me/mfa/totp' }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'User' });

export const TokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal('bearer'),
    expires_in: int32(1).meta({ description: 'Lifetime of the access token in seconds' }),
    refresh_token: z.string().meta({ description: 'Opaque, single use: POST it to /api/v1/auth/refresh for a new pair' }),
    refresh_expires_in: int32(1).meta({ description: 'Seconds until the refresh token expires unless used before' }),
  })
  .meta({ id: 'Token' });

// Bounded like any other input: a real refresh token is 43 characters.
export const RefreshRequest = z
  .object({
    // Checked by the route: absent is 400 `invalid_request`, another value 400 `unsupported_grant_type` (RFC 6749 §5.2).
    grant_type: z.string().max(64).optional().meta({ description: 'OAuth2 refresh grant (RFC 6749 §6): `refresh_token`, required' }),
    refresh_token: z.string().min(1).max(512),
    scope: z.string().max(1024).optional().meta({ description: 'Accepted for OAuth2 clients and ignored' }),
  })
  .meta({ id: 'RefreshRequest' });


export const TotpEnrolRequest = z
  .object({ current_password: presentedPassword.optional().meta({ description: 'Not needed in a fresh session (REAUTH_MAX_AGE_SECONDS)' }) })
  .meta({ id: 'TotpEnrolRequest' });

export const TotpEnrolmentResponse = z
  .object({
    secret: z.string().meta({ description: 'Base32 (RFC 4648), for typing into an authenticator app; shown once', examples: ['JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'] }),
    otpauth_uri: z.string().meta({
      description: 'The same secret as an otpauth:// URI, for a QR code',
      examples: ['otpauth://totp/auth-service:johndoe?issuer=auth-service&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30'],
    }),
  })
  .meta({ id: 'TotpEnrolment', description: 'Not active until confirmed with a code from it' });

export const TotpConfirmRequest = z
  .object({ code: secondFactorCode.meta({ description: 'The current code from the app the secret was given to', examples: ['123456'] }) })
  .meta({ id: 'TotpConfirmRequest' });

export const RecoveryCodesResponse = z
  .object({
    recovery_codes: z
      .array(z.string().meta({ examples: ['abcd-efgh-ijkl-mnop'] }))
      .meta({ description: 'Single-use codes that stand in for a TOTP code; shown this once and stored only hashed' }),
  })
  .meta({ id: 'RecoveryCodes' });

export const TotpDisableRequest = z
  .object({
    current_password: presentedPassword.optional().meta({ description: 'With code; not needed in a session fresh from a log-in or reauthentication with the code' }),
    code: secondFactorCode.optional().meta({ description: 'A TOTP code or a recovery code, with current_password' }),
  })
  .meta({ id: 'TotpDisableRequest' });

/** `POST /auth/reauthenticate`: the credentials again. A passkey assertion is another shape of this request. */
export const ReauthenticateRequest = z
  .object({
    password: presentedPassword,
    code: secondFactorCode.optional().meta({ description: 'Required when two-factor log-in is on: a TOTP or recovery code' }),
  })
  .meta({ id: 'ReauthenticateRequest' });

// A real mfa_token is 43 characters (32 random bytes, base64url).
export const MfaLoginRequest = z
  .object({
    mfa_token: z.string().min(1).max(128).meta({ description: 'From the 403 `mfa_required` answer of /auth/login' }),
    code: secondFactorCode.meta({ description: 'A TOTP code or a recovery code' }),
  })
  .meta({ id: 'MfaLoginRequest' });

// A mailed token is 43 characters; the bound only limits the work a request can cause. Anything within it that is
// no live token is the use case's 400, as fastapi-users answers, not a 422.
const oneTimeToken = z.string().min(1).max(256).meta({ description: 'The `token` query parameter of the mailed link', examples: ['YebrMHg3hxOTMHqqU2p7fJ7zuY8gU-kctilRtMI-0vM'] });

export const EmailRequest = z.object({ email }).meta({ id: 'EmailRequest' });

export const TokenRequest = z.object({ token: oneTimeToken }).meta({ id: 'OneTimeTokenRequest' });

export const ResetPasswordRequest = z
  .object({ token: oneTimeToken, password })
  .meta({ id: 'ResetPasswordRequest', description: 'The new password follows the rules of registration.' });

export const AcceptedResponse = z
  .object({ detail: z.string().meta({ examples: ['If the address can receive it, a mail is on its way'] }) })
  .meta({ id: 'Accepted', description: 'The same answer whether or not the address has an account' });

export const LogoutQuery = z.object({
  scope: z.enum(['current', 'all']).optional().meta({ description: '`all` ends every session of the user; default: the current one' }),
});

export const SessionResponse = z
  .object({
    id: z.uuid(),
    created_at: z.iso.datetime(),
    last_used_at: z.iso.datetime().meta({ description: 'The log-in or the last refresh' }),
    expires_at: z.iso.datetime(),
    user_agent: z.string().nullable(),
    ip: z.string().nullable(),
    current: z.boolean().meta({ description: 'Whether this is the session of the token making the request' }),
  })
  .meta({ id: 'Session' });

export const SessionListResponse = z.array(SessionResponse).meta({ id: 'SessionList' });

export const AdminUpdateUserRequest = z
  .object({
    email: email.optional(),
    username: username.optional(),
    password: password.optional(),
    is_active: z.boolean().optional().meta({ description: 'false ends every session of the user at once' }),
    is_verified: z.boolean().optional().meta({ description: 'set by hand, for an address verified another way' }),
    is_superuser: z.boolean().optional(),
    mfa_enabled: z.boolean().optional().meta({ description: 'Refused with 422: DELETE /users/{id}/mfa removes the second factors' }),
    current_password: presentedPassword.optional().meta({ description: "The superuser's own password, when its session is not fresh (REAUTH_MAX_AGE_SECONDS)" }),
    code: secondFactorCode.optional().meta({ description: "With current_password, when the superuser's two-factor log-in is on" }),
  })
  .meta({
    id: 'AdminUpdateUserRequest',
    description: 'Any of the fields. A new password or is_active false ends every session of the user; the last active superuser cannot be demoted or deactivated.',
  });

/** The opaque cursor of a keyset page: sent back as it came. */
const cursor = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-]*$/, { error: 'Must be a next_cursor this service gave' })
  .optional()
  .meta({ description: 'The `next_cursor` of the previous page; absent for the first' });
const limit = z.coerce.number().int().min(1).max(100).default(20).meta({ format: 'int32', description: 'Items per page' });

export const UserListQuery = z.object({
  q: z.string().max(EMAIL_MAX_LENGTH).optional().meta({ description: 'A prefix of the email or the username, in any case' }),
  limit,
  cursor,
});

export const PageQuery = z.object({ limit, cursor });

export const AuditEventQuery = z.object({
  user_id: z.uuid().max(36).optional().meta({ description: 'Only events about this account' }),
  type: z.enum(AUDIT_EVENT_TYPES).optional(),
  limit,
  cursor,
});

const nextCursor = z.string().optional().meta({ description: 'Pass as `cursor` for the next page; absent on the last page' });

export const UserPageResponse = z.object({ items: z.array(UserResponse), next_cursor: nextCursor }).meta({ id: 'UserPage' });

export const AuditEventResponse = z
  .object({
    id: z.uuid(),
    type: z.enum(AUDIT_EVENT_TYPES),
    at: z.iso.datetime(),
    user_id: z.uuid().nullable().meta({ description: 'The account the event is about; null for a log-in to an unknown name' }),
    actor_id: z.uuid().nullable().meta({ description: 'The account that acted: the user, a superuser, or null (nobody logged in, or the command line)' }),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    details: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]))
      .meta({ description: 'Plain facts of the event (fields changed, sessions ended); never a password, hash, code or token' }),
  })
  .meta({ id: 'AuditEvent' });

export const AuditEventPageResponse = z.object({ items: z.array(AuditEventResponse), next_cursor: nextCursor }).meta({ id: 'AuditEventPage' });

/** RFC 9457 §6.2 lets a problem carry extension members, so the schema leaves the object open. */
export const ProblemResponse = z
  .looseObject({
    type: z.string().meta({ examples: ['about:blank'] }),
    title: z.string().meta({ examples: ['Conflict'] }),
    status: int32(400).max(599).meta({ examples: [409] }),
    detail: z.string().optional().meta({ examples: ['Email already registered'] }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'On validation failures only: one entry per offending field' }),
    error: z
      .enum(['invalid_grant', 'mfa_required', 'email_not_verified', 'insufficient_user_authentication', 'mfa_locked', 'unsupported_grant_type', 'invalid_request'])
      .optional()
      .meta({
        description:
          'RFC 6749 §5.2 `invalid_grant` on failed log-ins, refreshes and reauthentications, `unsupported_grant_type` and `invalid_request` on the token routes; `mfa_required` when the password was right and a second factor is owed; `email_not_verified` when the address must be verified first; RFC 9470 `insufficient_user_authentication` when a sensitive action needs fresh authentication; `mfa_locked` when too many wrong codes locked the second factor',
      }),
    error_description: z.string().optional().meta({ description: 'RFC 6749 §5.2: the same as detail, where OAuth clients look for it' }),
    mfa_token: z.string().optional().meta({ description: 'With `mfa_required` only: POST it with a code to /api/v1/auth/login/mfa' }),
    expires_in: int32(1).optional().meta({ description: 'With `mfa_required` only: seconds the mfa_token stays usable' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

const checkResult = z.enum(['ok', 'unavailable']);
const checks = z.record(z.string(), checkResult).meta({ description: 'Each dependency by name', examples: [{ database: 'ok', rate_limiter: 'ok' }] });

export const LivenessResponse = z.object({ status: z.literal('ok') }).meta({ id: 'Liveness' });

export const ReadinessResponse = z.object({ status: z.literal('ok'), checks }).meta({ id: 'Readiness' });

export const NotReadyProblem = z
  .looseObject({
    type: z.string().meta({ examples: ['about:blank'] }),
    title: z.string().meta({ examples: ['Service Unavailable'] }),
    status: z.literal(503),
    detail: z.string().meta({ examples: ['Not ready: database unavailable'] }),
    checks,
  })
  .meta({ id: 'NotReadyProblem', description: 'RFC 9457 problem details naming each dependency and whether it answered' });

export type RegisterRequest = z.infer<typeof RegisterRequest>;
export type LoginRequest = z.infer<typeof LoginRequest>;
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;
export type UserResponse = z.infer<typeof UserResponse>;
export type TokenResponse = z.infer<typeof TokenResponse>;
export type AcceptedResponse = z.infer<typeof AcceptedResponse>;
export type SessionResponse = z.infer<typeof SessionResponse>;
export type AuditEventResponse = z.infer<typeof AuditEventResponse>;
export type TotpEnrolmentResponse = z.infer<typeof TotpEnrolmentResponse>;
