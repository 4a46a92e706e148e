import { hashMfaToken, InactiveUser, InvalidMfaLogIn, PASSWORD_AND_OTP, type SessionOrigin } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { MfaChallengeStore } from '../ports/mfa-challenge-store.js';
import type { MfaNotifier } from './mfa-notifier.js';
import type { TotpFactorRepository } from './totp-factor-repository.js';
import type { UserRepository } from '../ports/user-repository.js';
import type { AuditTrail } from '../core/audit-trail.js';
import type { LoginThrottle } from '../core/login-throttle.js';
import type { LogInResult, OpenSession } from '../core/open-session.js';
import type { SecondFactorCheck } from './second-factor-check.js';

export interface CompleteMfaLogInInput {
  /** From the `MfaRequired` the password step threw. */
  readonly mfaToken: string;
  /** A TOTP code or a recovery code. */
  readonly code: string;
  readonly origin: SessionOrigin;
}

/**
 * The second step of a log-in: a code for the `mfa_token` the password step gave. The token is single use, lives
 * 5 minutes, answers only the address that passed the password step, and dies after 5 codes. A wrong code also
 * counts against the account's log-in failure budget, which the password step left untouched, so alternating
 * password and code steps buys no extra guesses.
 */
export class CompleteMfaLogIn {
  constructor(
    private readonly challenges: MfaChallengeStore,
    private readonly users: UserRepository,
    private readonly factors: TotpFactorRepository,
    private readonly check: SecondFactorCheck,
    private readonly openSession: OpenSession,
    private readonly throttle: LoginThrottle,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    private readonly notifier?: MfaNotifier,
  ) {}

  /** Throws `InvalidMfaLogIn`, `TooManyLoginAttempts`, `MfaLocked` or `InactiveUser`. Records `login.succeeded` as `LogIn` does. */
  async execute(input: CompleteMfaLogInInput): Promise<LogInResult> {
    const tokenHash = hashMfaToken(input.mfaToken);
    const address = input.origin.ip ?? 'unknown';
    // Counted before the code is checked, so concurrent tries on one token share its budget.
    const challenge = await this.challenges.attempt(tokenHash);
    if (!challenge || !challenge.admits(address, this.clock.now())) throw new InvalidMfaLogIn();
    const account = `user:${challenge.userId}`;
    await this.throttle.check(account, address);

    const user = await this.users.findById(challenge.userId);
    const factor = user?.mfaEnabled ? await this.factors.find(user.id) : undefined;
    // The factor was turned off, the user deleted, or the password changed (reset, revert) since the password
    // step: start again.
    if (!user || !factor?.isConfirmed || !challenge.belongsTo(user)) {
      await this.challenges.consume(tokenHash);
      throw new InvalidMfaLogIn();
    }
    const method = await this.check.spend(user, factor, input.code, input.origin);
    if (!method) {
      await this.throttle.recordFailure(account, address);
      // The password was right and the code was not: worth an alert when it repeats (someone has the password).
      await this.audit.record('login.failed', { userId: user.id, actorId: null, origin: input.origin, details: { username: user.username.value, reason: 'invalid_code' } });
      throw new InvalidMfaLogIn();
    }
    // Of two tries that both got a right code in, one opens the session.
    if (!(await this.challenges.consume(tokenHash))) throw new InvalidMfaLogIn();
    await this.throttle.recordSuccess(account, address);
    if (!user.isActive) throw new InactiveUser();
    if (method === 'recovery_code') await this.notifier?.recoveryCodeUsed(user, await this.factors.remainingRecoveryCodes(user.id), input.origin);
    const tokens = await this.openSession.execute(user, input.origin, PASSWORD_AND_OTP);
    await this.audit.record('login.succeeded', { userId: user.id, origin: input.origin, details: { amr: [...PASSWORD_AND_OTP], method } });
    return { user, tokens };
  }
}
