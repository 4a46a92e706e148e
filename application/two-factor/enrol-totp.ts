import { MfaAlreadyEnabled, TotpFactor, type SessionOrigin } from '../../domain/index.js';
import type { Reauthentication, ReauthenticationProof, Requester } from '../core/reauthentication.js';
import type { Clock } from '../ports/clock.js';
import type { SecretBox } from '../ports/secret-box.js';
import type { Totp } from './totp.js';
import type { TotpFactorRepository } from './totp-factor-repository.js';

export interface TotpEnrolment {
  /** Base32, for typing into an app by hand; shown once and stored only sealed. */
  readonly secret: string;
  /** The same secret as an `otpauth://` URI, for a QR code. */
  readonly otpauthUri: string;
}

/**
 * Starts turning two-factor log-in on: a new secret, pending until `ConfirmTotp` sees a code from it. A sensitive
 * action (`Reauthentication`), so a stolen access token alone cannot bind an attacker's app to the account.
 * Enrolling again before confirming replaces the pending secret.
 */
export class EnrolTotp {
  constructor(
    private readonly factors: TotpFactorRepository,
    private readonly totp: Totp,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly reauthentication: Reauthentication,
  ) {}

  /** Throws `MfaAlreadyEnabled`, or what `Reauthentication.require` throws. */
  async execute(requester: Requester, proof: ReauthenticationProof | undefined, origin: SessionOrigin = {}): Promise<TotpEnrolment> {
    const { user } = requester;
    if (user.mfaEnabled) throw new MfaAlreadyEnabled();
    await this.reauthentication.require(requester, proof, origin);
    const secret = this.totp.newSecret();
    const factor = TotpFactor.enrol({ userId: user.id, sealedSecret: this.secrets.seal(secret), now: this.clock.now() });
    // The store refuses to replace a confirmed factor, which covers a confirmation that landed since `user` was read.
    if (!(await this.factors.savePending(factor))) throw new MfaAlreadyEnabled();
    return { secret, otpauthUri: this.totp.keyUri(secret, user.username.value) };
  }
}
