import { z } from 'zod';
import { email, username, password, presentedPassword } from '../schemas.js';

export const RegisterRequest = z
  .object({ email, username, password })
  .meta({ id: 'RegisterRequest', description: 'A new account. The password must be at least 8 characters and at most 72 bytes, not common, not containing the username or email.' });

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

export type RegisterRequest = z.infer<typeof RegisterRequest>;
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;
