import { z } from 'zod';
import { EMAIL_MAX_LENGTH, PASSWORD_MIN_LENGTH, USERNAME_MAX_LENGTH, USERNAME_MIN_LENGTH, USERNAME_PATTERN } from '../../domain/index.js';

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

export const RegisterRequest = z
  .object({ email, username, password })
  .meta({ id: 'RegisterRequest', description: 'A new account. The password must be at least 8 characters and at most 72 bytes, not common, not containing the username or email.' });

export const LoginRequest = z
  .object({
    username: z.string().min(1).max(EMAIL_MAX_LENGTH).meta({ description: 'The username or the email address', examples: ['johndoe'] }),
    password: presentedPassword,
    grant_type: z.literal('password').optional().meta({ description: 'OAuth2 password grant; optional' }),
    scope: z.string().max(1024).optional().meta({ description: 'Accepted for OAuth2 clients and ignored' }),
  })
  .meta({ id: 'LoginRequest' });

export const UpdateUserRequest = z
  .object({
    email: email.optional(),
    username: username.optional(),
    password: password.optional(),
    current_password: presentedPassword.optional().meta({ description: 'Required when password changes' }),
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
    grant_type: z.literal('refresh_token').meta({ description: 'OAuth2 refresh grant (RFC 6749 §6)' }),
    refresh_token: z.string().min(1).max(512),
    scope: z.string().max(1024).optional().meta({ description: 'Accepted for OAuth2 clients and ignored' }),
  })
  .meta({ id: 'RefreshRequest' });

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
      .enum(['invalid_grant', 'mfa_required', 'email_not_verified'])
      .optional()
      .meta({ description: 'RFC 6749 §5.2 error code on failed log-ins and refreshes, or the step a log-in still needs' }),
    error_description: z.string().optional().meta({ description: 'RFC 6749 §5.2: the same as detail, where OAuth clients look for it' }),
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
