import { MfaNotEnabled, type SessionOrigin } from '../../domain/index.js';
import type { Reauthentication, ReauthenticationProof, Requester } from '../core/reauthentication.js';
import type { MfaNotifier } from './mfa-notifier.js';
import type { TotpFactorRepository } from './totp-factor-repository.js';

/**
 * Turns two-factor log-in off: a sensitive action (`Reauthentication`), given the password and a code, or in a
 * session fresh from a proof that included the second factor. Failures count against the account's log-in budget
 * and wrong codes towards its lock: whoever holds a bearer token and the password must not get unlimited guesses
 * at the one factor they lack.
 */
export class DisableTotp {
  constructor(
    private readonly factors: TotpFactorRepository,
    private readonly reauthentication: Reauthentication,
    private readonly notifier?: MfaNotifier,
  ) {}

  /** Throws `MfaNotEnabled`, or what `Reauthentication.require` throws. */
  async execute(requester: Requester, input: { proof: ReauthenticationProof | undefined; origin: SessionOrigin }): Promise<void> {
    const { user } = requester;
    const factor = await this.factors.find(user.id);
    if (!factor?.isConfirmed) throw new MfaNotEnabled();
    await this.reauthentication.require(requester, input.proof, input.origin);
    await this.factors.remove(user.id);
    await this.notifier?.disabled(user, input.origin);
  }
}
