import { hashRecoveryCode, looksLikeTotpCode, MfaLocked, normalizeTotpCode, type SessionOrigin, type TotpFactor, type User } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { MfaNotifier } from './mfa-notifier.js';
import type { SecretBox } from '../ports/secret-box.js';
import type { Totp } from './totp.js';
import type { TotpFactorRepository } from './totp-factor-repository.js';

export type SecondFactorMethod = 'totp' | 'recovery_code';

export interface SecondFactorLockPolicy {
  /** MFA_MAX_CONSECUTIVE_FAILURES: wrong codes in a row, across every window, before every code is refused. */
  readonly maxConsecutiveFailures: number;
}

/** NIST SP 800-63B §5.2.2 caps consecutive failed attempts at 100. */
export const DEFAULT_SECOND_FACTOR_LOCK: SecondFactorLockPolicy = { maxConsecutiveFailures: 100 };

/**
 * Checks a code against a confirmed factor and spends it in the same breath: a TOTP code through the store's
 * compare-and-set on its step, a recovery code by marking it used. Shared by the log-in's second step, turning the
 * factor off and reauthentication, so all refuse a replay the same way and all count towards one lock: the per-window
 * log-in budget alone let a patient attacker with the password guess about 120 codes an hour for ever (~23 % in
 * 30 days), so wrong codes in a row are also counted for good, and past the cap the account refuses every code
 * until its owner resets the password from a mailed link.
 */
export class SecondFactorCheck {
  constructor(
    private readonly factors: TotpFactorRepository,
    private readonly totp: Totp,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly lock: SecondFactorLockPolicy = DEFAULT_SECOND_FACTOR_LOCK,
    private readonly notifier?: MfaNotifier,
  ) {}

  /**
   * The method the code proved, or undefined for a wrong, reused or stale code. Throws `MfaLocked`, before looking
   * at the code, once the cap of consecutive wrong codes is reached.
   */
  async spend(user: User, factor: TotpFactor, code: string, origin?: SessionOrigin): Promise<SecondFactorMethod | undefined> {
    if (factor.isLocked(this.lock.maxConsecutiveFailures)) throw new MfaLocked();
    const method = await this.#spend(factor, code);
    if (method) {
      // Consecutive failures: any right code breaks the run.
      if (factor.failedAttempts > 0) await this.factors.clearFailedAttempts(factor.userId);
      return method;
    }
    const failures = await this.factors.recordFailedAttempt(factor.userId);
    // Exactly one request sees the count reach the cap (the store counts atomically): one mail, one event.
    if (failures === this.lock.maxConsecutiveFailures) await this.notifier?.locked?.(user, origin);
    return undefined;
  }

  async #spend(factor: TotpFactor, code: string): Promise<SecondFactorMethod | undefined> {
    const now = this.clock.now();
    if (looksLikeTotpCode(code)) {
      const step = this.totp.matchStep(this.secrets.open(factor.sealedSecret), normalizeTotpCode(code), now);
      return step !== undefined && (await this.factors.acceptStep(factor.userId, step)) ? 'totp' : undefined;
    }
    return (await this.factors.useRecoveryCode(factor.userId, hashRecoveryCode(code), now)) ? 'recovery_code' : undefined;
  }
}

/** The code check `Reauthentication` asks for (`SecondFactorVerifier`), over the TOTP factor and its recovery codes. */
export function totpCodeVerifier(factors: TotpFactorRepository, check: SecondFactorCheck) {
  return {
    async verify(user: User, code: string, origin: SessionOrigin): Promise<boolean> {
      const factor = await factors.find(user.id);
      // mfaEnabled and a confirmed factor are set together; without one the code proves nothing.
      return factor?.isConfirmed === true && (await check.spend(user, factor, code, origin)) !== undefined;
    },
  };
}
