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
export const int32 = (minimum: number) => z.int32().min(minimum).meta({ format: 'int32' });

export const email = z.email({ error: 'Must be a valid email address' }).max(EMAIL_MAX_LENGTH).meta({ examples: ['user@example.com'] });
export const username = z
  .string()
  .regex(USERNAME_PATTERN, { error: `Must be ${USERNAME_MIN_LENGTH} to ${USERNAME_MAX_LENGTH} letters, digits, "_", "." or "-"` })
  // The pattern bounds the length already; stated for generated clients, without a second error per field.
  .meta({ examples: ['johndoe'], minLength: USERNAME_MIN_LENGTH, maxLength: USERNAME_MAX_LENGTH });
// A new password: the document says what the domain needs, so a form built from it refuses what the server would.
export const password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, { error: `Must be at least ${PASSWORD_MIN_LENGTH} characters` })
  .max(PASSWORD_MAX_CHARS).meta({ format: 'password', examples: [SECRET_EXAMPLE] });
// A password being checked (log-in, current password): any length, the check says whether it is right.
export const presentedPassword = z.string().min(1).max(PASSWORD_MAX_CHARS).meta({ format: 'password', examples: [SECRET_EXAMPLE] });

/**
 * A TOTP code (spaces forgiven: apps show "123 456") or a recovery code as handed out ("abcd-efgh-ijkl-mnop", any
 * case, dashes or spaces optional). The shape only bounds the input; whether it is right is the use case's call.
 */
export const secondFactorCode = z
  .string()
  .max(32)
  .regex(new RegExp(`^(?:\\d{${TOTP_DIGITS / 2}} ?\\d{${TOTP_DIGITS / 2}}|[A-Za-z2-7]{4}(?:[ -]?[A-Za-z2-7]{4}){3})$`), {
    error: `Must be a ${TOTP_DIGITS}-digit code or a recovery code`,
  })
  .meta({ examples: ['123456', 'abcd-efgh-ijkl-mnop'] });

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

export const AcceptedResponse = z
  .object({ detail: z.string().meta({ examples: ['If the address can receive it, a mail is on its way'] }) })
  .meta({ id: 'Accepted', description: 'The same answer whether or not the address has an account' });

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

export type UserResponse = z.infer<typeof UserResponse>;
export type TokenResponse = z.infer<typeof TokenResponse>;
export type AcceptedResponse = z.infer<typeof AcceptedResponse>;
export type SessionResponse = z.infer<typeof SessionResponse>;
export type AuditEventResponse = z.infer<typeof AuditEventResponse>;
