import { hashRecoveryCode, looksLikeTotpCode, normalizeTotpCode, type TotpFactor } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { SecretBox } from '../ports/secret-box.js';
import type { Totp } from './totp.js';
import type { TotpFactorRepository } from './totp-factor-repository.js';

export type SecondFactorMethod = 'totp' | 'recovery_code';

/**
 * Checks a code against a confirmed factor and spends it in the same breath: a TOTP code through the store's
 * compare-and-set on its step, a recovery code by marking it used. Shared by the log-in's second step and by
 * turning the factor off, so both refuse a replay the same way.
 */
export class SecondFactorCheck {
  constructor(
    private readonly factors: TotpFactorRepository,
    private readonly totp: Totp,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
  ) {}

  /** The method the code proved, or undefined for a wrong, reused or stale code. */
  async spend(factor: TotpFactor, code: string): Promise<SecondFactorMethod | undefined> {
    const now = this.clock.now();
    if (looksLikeTotpCode(code)) {
      const step = this.totp.matchStep(this.secrets.open(factor.sealedSecret), normalizeTotpCode(code), now);
      return step !== undefined && (await this.factors.acceptStep(factor.userId, step)) ? 'totp' : undefined;
    }
    return (await this.factors.useRecoveryCode(factor.userId, hashRecoveryCode(code), now)) ? 'recovery_code' : undefined;
  }
}
