import { hashOneTimeToken, InvalidOneTimeToken, ONE_TIME_TOKEN_PURPOSES } from '../../domain/index.js';
import type { CredentialsChanged } from '../core/credentials-changed.js';
import type { Clock } from '../ports/clock.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { MailQueue } from '../core/mail-queue.js';

/**
 * Follows the revert link mailed to the old address after an email change, and secures the account, since whoever
 * changed the address may have reset the password and enrolled a second factor of their own from it: the old
 * address comes back (verified), every second factor and recovery code goes, every session ends, every outstanding
 * link dies (revert links included, so whoever made the change cannot answer with a revert of their own), and a
 * password-reset link goes to the restored address.
 */
export class RevertEmail {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly mail: MailQueue,
    private readonly credentialsChanged: CredentialsChanged,
  ) {}

  /** Throws `InvalidOneTimeToken`, or `EmailTaken` when the old address has been registered since. */
  async execute(token: string): Promise<void> {
    const hash = hashOneTimeToken(token);
    // Looked at first, used last: the factors are removed outside the unit of work (their stores are not members
    // of it), before the link is spent, so a failure in between leaves the link working for a second try.
    const holder = await this.unitOfWork.run(async (stores) => {
      const record = await stores.oneTimeTokens.find(hash, ['revert_email'], this.clock.now());
      return record && stores.users.findById(record.userId);
    });
    if (!holder) throw new InvalidOneTimeToken();
    const removed = await this.credentialsChanged.removeSecondFactors(holder, { reason: 'email_reverted' });

    const now = this.clock.now();
    await this.unitOfWork.run(async (stores) => {
      const record = await stores.oneTimeTokens.consume(hash, ['revert_email'], now);
      const user = record && (await stores.users.findById(record.userId));
      if (!record || !user) throw new InvalidOneTimeToken();
      // The token version moves: every access token, refresh token and pending mfa_token of the account dies.
      const reverted = user.withRevertedEmail(record.email, now);
      await stores.users.update(reverted);
      await this.credentialsChanged.within(stores, reverted, {
        endSessions: true,
        voidLinks: ONE_TIME_TOKEN_PURPOSES,
        ...(removed.length > 0 ? { notice: { kind: 'two_factor_removed' as const, params: { reason: ' when the change of your email address was undone' } } } : {}),
        event: { type: 'email.changed', details: { previous_email: user.email.value, email: record.email.value, reverted: true } },
      });
      // Whoever changed the address may know the password too (they could reset it from the new address).
      await this.mail.queueLink(stores, { kind: 'reset_password', purpose: 'reset_password', user: reverted, to: reverted.email });
    });
  }
}
