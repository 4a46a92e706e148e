import { InvalidOtp, looksLikeTotpCode, MfaAlreadyEnabled, MfaNotEnrolled, newRecoveryCodes, normalizeTotpCode, type SessionOrigin, type User } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { MfaNotifier } from './mfa-notifier.js';
import type { SecretBox } from '../ports/secret-box.js';
import type { Totp } from './totp.js';
import type { TotpFactorRepository } from './totp-factor-repository.js';

/**
 * Turns two-factor log-in on once a code from the pending secret proves the app has it. The code's step is
 * recorded as used, so the same code cannot then finish a log-in. Returns the recovery codes: the only time they
 * exist in clear.
 */
export class ConfirmTotp {
  constructor(
    private readonly factors: TotpFactorRepository,
    private readonly totp: Totp,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly notifier?: MfaNotifier,
  ) {}

  /** Throws `MfaNotEnrolled`, `MfaAlreadyEnabled` or `InvalidOtp`. */
  async execute(user: User, code: string, origin?: SessionOrigin): Promise<{ recoveryCodes: readonly string[] }> {
    const factor = await this.factors.find(user.id);
    if (!factor) throw new MfaNotEnrolled();
    if (factor.isConfirmed) throw new MfaAlreadyEnabled();
    const now = this.clock.now();
    const step = looksLikeTotpCode(code) ? this.totp.matchStep(this.secrets.open(factor.sealedSecret), normalizeTotpCode(code), now) : undefined;
    if (step === undefined) throw new InvalidOtp();
    const recovery = newRecoveryCodes();
    // Names the secret the code was checked against: an enrolment started again meanwhile is not confirmed by it.
    if (!(await this.factors.confirm(user.id, factor.sealedSecret, step, recovery.hashes, now))) throw new MfaNotEnrolled();
    await this.notifier?.enabled(user, origin);
    return { recoveryCodes: recovery.codes };
  }
}
