import { InvalidOtp, MfaNotEnabled, normalizePassword, WrongCurrentPassword, type SessionOrigin, type User } from '../../domain/index.js';
import type { MfaNotifier } from './mfa-notifier.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { TotpFactorRepository } from './totp-factor-repository.js';
import type { LoginThrottle } from '../core/login-throttle.js';
import type { SecondFactorCheck } from './second-factor-check.js';

/**
 * Turns two-factor log-in off, given the password and a code (TOTP or recovery). Failures count against the
 * account's log-in budget: whoever holds a bearer token and the password must not get unlimited guesses at the
 * one factor they lack.
 */
export class DisableTotp {
  constructor(
    private readonly factors: TotpFactorRepository,
    private readonly hasher: PasswordHasher,
    private readonly check: SecondFactorCheck,
    private readonly throttle: LoginThrottle,
    private readonly notifier?: MfaNotifier,
  ) {}

  /** Throws `TooManyLoginAttempts`, `WrongCurrentPassword`, `MfaNotEnabled` or `InvalidOtp`. */
  async execute(user: User, input: { currentPassword: string; code: string; origin: SessionOrigin }): Promise<void> {
    const account = `user:${user.id}`;
    const address = input.origin.ip ?? 'unknown';
    await this.throttle.check(account, address);
    if (!(await this.hasher.verify(normalizePassword(input.currentPassword), user.passwordHash))) {
      await this.throttle.recordFailure(account, address);
      throw new WrongCurrentPassword();
    }
    const factor = await this.factors.find(user.id);
    if (!factor?.isConfirmed) throw new MfaNotEnabled();
    if (!(await this.check.spend(factor, input.code))) {
      await this.throttle.recordFailure(account, address);
      throw new InvalidOtp();
    }
    await this.factors.remove(user.id);
    await this.notifier?.disabled(user, input.origin);
  }
}
