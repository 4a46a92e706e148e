import { z } from 'zod';
import { TOTP_DIGITS } from '../../../domain/index.js';
import { presentedPassword } from '../schemas.js';

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

export const TotpEnrolRequest = z.object({ current_password: presentedPassword }).meta({ id: 'TotpEnrolRequest' });

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
  .object({ current_password: presentedPassword, code: secondFactorCode.meta({ description: 'A TOTP code or a recovery code' }) })
  .meta({ id: 'TotpDisableRequest' });

// A real mfa_token is 43 characters (32 random bytes, base64url).
export const MfaLoginRequest = z
  .object({
    mfa_token: z.string().min(1).max(128).meta({ description: 'From the 403 `mfa_required` answer of /auth/login' }),
    code: secondFactorCode.meta({ description: 'A TOTP code or a recovery code' }),
  })
  .meta({ id: 'MfaLoginRequest' });

export type TotpEnrolmentResponse = z.infer<typeof TotpEnrolmentResponse>;
