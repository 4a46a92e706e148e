import { hashRecoveryCode, looksLikeTotpCode, MfaLocked, normalizeTotpCode, type SessionOrigin, type TotpFactor, type User } from '../../domain/index.js';
import { secondFactorFor, type SecondFactor } from '../core/authentication-methods.js';
import type { Clock } from '../ports/clock.js';
import type { MfaNotifier } from './mfa-notifier.js';
import type { SecretBox } from '../ports/secret-box.js';
import type { Totp } from './totp.js';
import type { TotpFactorRepository } from './totp-factor-repository.js';

export type SecondFactorMethod = 'totp' | 'recovery_code';

/** The second factors of the TOTP feature, in the order the second step tries them. */
export function totpSecondFactors(factors: TotpFactorRepository, totp: Totp, secrets: SecretBox): readonly SecondFactor<SecondFactorMethod>[] {
  return [
    {
      name: 'totp',
      amr: ['otp'],
      accepts: looksLikeTotpCode,
      // Through the store's compare-and-set on the step, so one code opens one session.
      async spend({ factor, code, now }) {
        const step = totp.matchStep(secrets.open(factor.sealedSecret), normalizeTotpCode(code), now);
        return step !== undefined && (await factors.acceptStep(factor.userId, step));
      },
    },
    {
      // RFC 8176 has no value for a recovery code; it stands in for the TOTP code, so the session says `otp` as it would.
      name: 'recovery_code',
      amr: ['otp'],
      accepts: (code) => !looksLikeTotpCode(code),
      spend: ({ factor, code, now }) => factors.useRecoveryCode(factor.userId, hashRecoveryCode(code), now),
    },
  ];
}

export interface SecondFactorLockPolicy {
  /** MFA_MAX_CONSECUTIVE_FAILURES: wrong codes in a row, across every window, before every code is refused. */
  readonly maxConsecutiveFailures: number;
}

/** NIST SP 800-63B §5.2.2 caps consecutive failed attempts at 100. */
export const DEFAULT_SECOND_FACTOR_LOCK: SecondFactorLockPolicy = { maxConsecutiveFailures: 100 };

/**
 * Checks a code against a confirmed factor and spends it in the same breath, trying the list of second factors in
 * order (a TOTP code, then a recovery code). Shared by the log-in's second step, turning the
 * factor off and reauthentication, so all refuse a replay the same way and all count towards one lock: the per-window
 * log-in budget alone let a patient attacker with the password guess about 120 codes an hour for ever (~23 % in
 * 30 days), so wrong codes in a row are also counted for good, and past the cap the account refuses every code
 * until its owner resets the password from a mailed link.
 */
export class SecondFactorCheck {
  readonly methods: readonly SecondFactor<SecondFactorMethod>[];

  constructor(
    private readonly factors: TotpFactorRepository,
    totp: Totp,
    secrets: SecretBox,
    private readonly clock: Clock,
    private readonly lock: SecondFactorLockPolicy = DEFAULT_SECOND_FACTOR_LOCK,
    private readonly notifier?: MfaNotifier,
  ) {
    this.methods = totpSecondFactors(factors, totp, secrets);
  }

  /**
   * The method the code proved, or undefined for a wrong, reused or stale code. Throws `MfaLocked`, before looking
   * at the code, once the cap of consecutive wrong codes is reached.
   */
  async spend(user: User, factor: TotpFactor, code: string, origin?: SessionOrigin): Promise<SecondFactorMethod | undefined> {
    return (await this.proving(user, factor, code, origin))?.name;
  }

  /** The entry of the list the code proved (its `amr` included), or undefined; counts towards the lock as `spend`. */
  async proving(user: User, factor: TotpFactor, code: string, origin?: SessionOrigin): Promise<SecondFactor<SecondFactorMethod> | undefined> {
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

  async #spend(factor: TotpFactor, code: string): Promise<SecondFactor<SecondFactorMethod> | undefined> {
    const method = secondFactorFor(this.methods, code);
    return method && (await method.spend({ factor, code, now: this.clock.now() })) ? method : undefined;
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
