import { MfaAlreadyEnabled, normalizePassword, TotpFactor, WrongCurrentPassword, type SessionOrigin, type User } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { SecretBox } from '../ports/secret-box.js';
import type { Totp } from './totp.js';
import type { TotpFactorRepository } from './totp-factor-repository.js';
import type { LoginThrottle } from '../core/login-throttle.js';

export interface TotpEnrolment {
  /** Base32, for typing into an app by hand; shown once and stored only sealed. */
  readonly secret: string;
  /** The same secret as an `otpauth://` URI, for a QR code. */
  readonly otpauthUri: string;
}

/**
 * Starts turning two-factor log-in on: a new secret, pending until `ConfirmTotp` sees a code from it. Asks for the
 * password again, so a stolen access token alone cannot bind an attacker's app to the account. Enrolling again
 * before confirming replaces the pending secret.
 */
export class EnrolTotp {
  constructor(
    private readonly factors: TotpFactorRepository,
    private readonly hasher: PasswordHasher,
    private readonly totp: Totp,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly throttle: LoginThrottle,
  ) {}

  /**
   * Throws `TooManyLoginAttempts`, `WrongCurrentPassword` or `MfaAlreadyEnabled`. A wrong password counts against
   * the account's log-in budget, as at log-in: a stolen access token must not buy unlimited guesses at it.
   */
  async execute(user: User, currentPassword: string, origin: SessionOrigin = {}): Promise<TotpEnrolment> {
    const account = `user:${user.id}`;
    const address = origin.ip ?? 'unknown';
    await this.throttle.check(account, address);
    if (!(await this.hasher.verify(normalizePassword(currentPassword), user.passwordHash))) {
      await this.throttle.recordFailure(account, address);
      throw new WrongCurrentPassword();
    }
    if (user.mfaEnabled) throw new MfaAlreadyEnabled();
    const secret = this.totp.newSecret();
    const factor = TotpFactor.enrol({ userId: user.id, sealedSecret: this.secrets.seal(secret), now: this.clock.now() });
    // The store refuses to replace a confirmed factor, which covers a confirmation that landed since `user` was read.
    if (!(await this.factors.savePending(factor))) throw new MfaAlreadyEnabled();
    return { secret, otpauthUri: this.totp.keyUri(secret, user.username.value) };
  }
}
