import { z } from 'zod';
import { email, username, password, presentedPassword, secondFactorCode } from '../schemas.js';

export const RegisterRequest = z
  .object({ email, username, password })
  .meta({ id: 'RegisterRequest', description: 'A new account. The password must be at least 8 characters and at most 72 bytes, not common, not containing the username or email.' });

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
    description: 'Any of the fields. Changing the email or the password needs fresh authentication (current_password, or a fresh session); a new password revokes every earlier token.',
    // JSON Schema 2020-12: a generated client can enforce what the domain does (SecondFactorCodeRequired aside).
    dependentRequired: { code: ['current_password'] },
  });

export type RegisterRequest = z.infer<typeof RegisterRequest>;
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;
