import { z } from 'zod';
import { EMAIL_MAX_LENGTH } from '../../../domain/index.js';
import { presentedPassword, secondFactorCode } from '../schemas.js';

export const LoginRequest = z
  .object({
    username: z.string().min(1).max(EMAIL_MAX_LENGTH).meta({ description: 'The username or the email address', examples: ['johndoe'] }),
    password: presentedPassword,
    // Any text: another value than `password` is RFC 6749 §5.2's 400 `unsupported_grant_type`, not a 422.
    grant_type: z.string().max(64).optional().meta({ description: 'OAuth2 password grant: `password`, or absent' }),
    scope: z.string().max(1024).optional().meta({ description: 'Accepted for OAuth2 clients and ignored' }),
  })
  .meta({ id: 'LoginRequest' });

// Bounded like any other input: a real refresh token is 43 characters.
export const RefreshRequest = z
  .object({
    // Checked by the route: absent is 400 `invalid_request`, another value 400 `unsupported_grant_type` (RFC 6749 §5.2).
    grant_type: z.string().max(64).optional().meta({ description: 'OAuth2 refresh grant (RFC 6749 §6): `refresh_token`, required' }),
    refresh_token: z.string().min(1).max(512),
    scope: z.string().max(1024).optional().meta({ description: 'Accepted for OAuth2 clients and ignored' }),
  })
  .meta({ id: 'RefreshRequest' });

export const LogoutQuery = z.object({
  scope: z.enum(['current', 'all']).optional().meta({ description: '`all` ends every session of the user; default: the current one' }),
});

export type LoginRequest = z.infer<typeof LoginRequest>;

/** `POST /auth/reauthenticate`: the credentials again. A passkey assertion is another shape of this request. */
export const ReauthenticateRequest = z
  .object({
    password: presentedPassword,
    code: secondFactorCode.optional().meta({ description: 'Required when two-factor log-in is on: a TOTP or recovery code' }),
  })
  .meta({ id: 'ReauthenticateRequest' });
