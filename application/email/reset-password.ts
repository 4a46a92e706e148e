import { hashOneTimeToken, InvalidOneTimeToken, MAILBOX_PROOF_PURPOSES, type PasswordPolicy } from '../../domain/index.js';
import type { CredentialsChanged } from '../core/credentials-changed.js';
import type { Clock } from '../ports/clock.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';

export interface ResetPasswordInput {
  readonly token: string;
  readonly password: string;
}

/**
 * Sets a new password from a reset link. It works as a password change does (the token version moves, so every
 * token issued before is refused, and every session ends), voids every other outstanding link, and tells the owner.
 */
export class ResetPassword {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly clock: Clock,
    private readonly credentialsChanged: CredentialsChanged,
  ) {}

  /** Throws `InvalidOneTimeToken`, or `WeakPassword` with the token left usable. */
  async execute(input: ResetPasswordInput): Promise<void> {
    const hash = hashOneTimeToken(input.token);
    // Looked at, not used, first: a weak password must leave the link working for a second try.
    const peek = await this.unitOfWork.run(async (stores) => {
      const record = await stores.oneTimeTokens.find(hash, ['reset_password'], this.clock.now());
      return record && stores.users.findById(record.userId);
    });
    if (!peek) throw new InvalidOneTimeToken();
    const password = this.policy.check(input.password, { username: peek.username.value, email: peek.email.value });
    const passwordHash = await this.hasher.hash(password);

    const now = this.clock.now();
    const reset = await this.unitOfWork.run(async (stores) => {
      const record = await stores.oneTimeTokens.consume(hash, ['reset_password'], now);
      const user = record && (await stores.users.findById(record.userId));
      // A link proves the mailbox it was sent to: once the account has another address (an administrator moved
      // it), a link still sitting in the old mailbox must not take the account over.
      if (!user || !user.email.equals(record.email)) throw new InvalidOneTimeToken();
      await stores.users.update(user.withPassword(passwordHash, now));
      await this.credentialsChanged.within(stores, user, {
        endSessions: true,
        voidLinks: MAILBOX_PROOF_PURPOSES,
        notice: { kind: 'password_changed' },
        event: { type: 'password.reset' },
      });
      return user;
    });
    // The link proved the mailbox: a second factor locked by wrong codes works again (after the commit: the factor
    // stores are not members of the unit of work; a failure here leaves the lock, and the owner resets again).
    await this.credentialsChanged.unlockSecondFactors(reset.id);
  }
}
