import { z } from 'zod';
import { EMAIL_MAX_LENGTH } from '../../../domain/index.js';
import { presentedPassword } from '../schemas.js';

export const LoginRequest = z
  .object({
    username: z.string().min(1).max(EMAIL_MAX_LENGTH).meta({ description: 'The username or the email address', examples: ['johndoe'] }),
    password: presentedPassword,
    grant_type: z.literal('password').optional().meta({ description: 'OAuth2 password grant; optional' }),
    scope: z.string().max(1024).optional().meta({ description: 'Accepted for OAuth2 clients and ignored' }),
  })
  .meta({ id: 'LoginRequest' });

// Bounded like any other input: a real refresh token is 43 characters.
export const RefreshRequest = z
  .object({
    grant_type: z.literal('refresh_token').meta({ description: 'OAuth2 refresh grant (RFC 6749 §6)' }),
    refresh_token: z.string().min(1).max(512),
    scope: z.string().max(1024).optional().meta({ description: 'Accepted for OAuth2 clients and ignored' }),
  })
  .meta({ id: 'RefreshRequest' });

export const LogoutQuery = z.object({
  scope: z.enum(['current', 'all']).optional().meta({ description: '`all` ends every session of the user; default: the current one' }),
});

export type LoginRequest = z.infer<typeof LoginRequest>;
