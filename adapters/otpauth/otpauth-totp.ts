import { Secret, TOTP } from 'otpauth';
import type { Totp } from '../../application/two-factor/totp.js';
import { TOTP_DIGITS, TOTP_DRIFT_STEPS, TOTP_PERIOD_SECONDS } from '../../domain/index.js';

/** RFC 4226 §4 R6: a shared secret of 160 bits, the length of SHA-1's output. */
const SECRET_BYTES = 20;
const ALGORITHM = 'SHA1';

/** RFC 6238 through otpauth (hotp.js / totp.js there): HMAC-SHA-1, 6 digits, 30-second steps. */
export class OtpauthTotp implements Totp {
  constructor(
    /** Names the service in authenticator apps (the otpauth URI's `issuer`). */
    private readonly issuer: string,
    private readonly driftSteps = TOTP_DRIFT_STEPS,
  ) {}

  newSecret(): string {
    return new Secret({ size: SECRET_BYTES }).base32;
  }

  matchStep(secret: string, code: string, now: Date): number | undefined {
    const timestamp = now.getTime();
    // otpauth compares in constant time and answers the matching step's distance from the current one.
    const delta = TOTP.validate({
      token: code,
      secret: Secret.fromBase32(secret),
      algorithm: ALGORITHM,
      digits: TOTP_DIGITS,
      period: TOTP_PERIOD_SECONDS,
      timestamp,
      window: this.driftSteps,
    });
    return delta === null ? undefined : TOTP.counter({ period: TOTP_PERIOD_SECONDS, timestamp }) + delta;
  }

  generate(secret: string, at: Date): string {
    return TOTP.generate({
      secret: Secret.fromBase32(secret),
      algorithm: ALGORITHM,
      digits: TOTP_DIGITS,
      period: TOTP_PERIOD_SECONDS,
      timestamp: at.getTime(),
    });
  }

  keyUri(secret: string, account: string): string {
    return new TOTP({
      issuer: this.issuer,
      label: account,
      secret: Secret.fromBase32(secret),
      algorithm: ALGORITHM,
      digits: TOTP_DIGITS,
      period: TOTP_PERIOD_SECONDS,
    }).toString();
  }
}
