import { z } from 'zod';
import { presentedPassword, secondFactorCode } from '../schemas.js';


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

// A real mfa_token is 43 characters (32 random bytes, base64url).
export const MfaLoginRequest = z
  .object({
    mfa_token: z.string().min(1).max(128).meta({ description: 'From the 403 `mfa_required` answer of /auth/login' }),
    code: secondFactorCode.meta({ description: 'A TOTP code or a recovery code' }),
  })
  .meta({ id: 'MfaLoginRequest' });

export type TotpEnrolmentResponse = z.infer<typeof TotpEnrolmentResponse>;
