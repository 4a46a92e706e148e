import { z } from 'zod';
import { email, password } from '../schemas.js';

// A mailed token is 43 characters; the bound only limits the work a request can cause. Anything within it that is
// no live token is the use case's 400, as fastapi-users answers, not a 422.
const oneTimeToken = z.string().min(1).max(256).meta({ description: 'The `token` query parameter of the mailed link', examples: ['YebrMHg3hxOTMHqqU2p7fJ7zuY8gU-kctilRtMI-0vM'] });

export const EmailRequest = z.object({ email }).meta({ id: 'EmailRequest' });

export const TokenRequest = z.object({ token: oneTimeToken }).meta({ id: 'OneTimeTokenRequest' });

export const ResetPasswordRequest = z
  .object({ token: oneTimeToken, password })
  .meta({ id: 'ResetPasswordRequest', description: 'The new password follows the rules of registration.' });
