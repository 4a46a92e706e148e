import { hashRecoveryCode, looksLikeTotpCode, normalizeTotpCode, type TotpFactor } from '../../domain/index.js';
import { secondFactorFor, type SecondFactor } from '../core/authentication-methods.js';
import type { Clock } from '../ports/clock.js';
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

/**
 * Checks a code against a confirmed factor and spends it in the same breath, trying the list of second factors in
 * order (a TOTP code, then a recovery code). Shared by the log-in's second step and by turning the factor off, so
 * both refuse a replay the same way.
 */
export class SecondFactorCheck {
  readonly methods: readonly SecondFactor<SecondFactorMethod>[];

  constructor(
    factors: TotpFactorRepository,
    totp: Totp,
    secrets: SecretBox,
    private readonly clock: Clock,
  ) {
    this.methods = totpSecondFactors(factors, totp, secrets);
  }

  /** The method the code proved, or undefined for a wrong, reused or stale code. */
  async spend(factor: TotpFactor, code: string): Promise<SecondFactorMethod | undefined> {
    return (await this.proving(factor, code))?.name;
  }

  /** The entry of the list the code proved (its `amr` included), or undefined. */
  async proving(factor: TotpFactor, code: string): Promise<SecondFactor<SecondFactorMethod> | undefined> {
    const method = secondFactorFor(this.methods, code);
    return method && (await method.spend({ factor, code, now: this.clock.now() })) ? method : undefined;
  }
}
