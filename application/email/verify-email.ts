import { hashOneTimeToken, InvalidOneTimeToken, MAILBOX_PROOF_PURPOSES, type User } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { AuditTrail } from '../core/audit-trail.js';
import type { MailQueue } from '../core/mail-queue.js';

/**
 * Follows a verification link: marks the address verified, or, for a confirm-first email change, moves the account
 * to the new address (and sends the old one its notice with a revert link).
 */
export class VerifyEmail {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly mail: MailQueue,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  /** Throws `InvalidOneTimeToken` (unknown, expired, used, or sent to an address the account no longer has), or `EmailTaken`. */
  async execute(token: string): Promise<User> {
    const hash = hashOneTimeToken(token);
    const now = this.clock.now();
    return this.unitOfWork.run(async (stores) => {
      const record = await stores.oneTimeTokens.consume(hash, ['verify_email', 'confirm_email_change'], now);
      const user = record && (await stores.users.findById(record.userId));
      if (!record || !user) throw new InvalidOneTimeToken();
      if (record.purpose === 'verify_email') {
        // A link proves the address it was sent to, not whatever address the account has since.
        if (user.email.value !== record.email.value) throw new InvalidOneTimeToken();
        const verified = user.withVerifiedEmail(record.email, now);
        if (verified !== user) await stores.users.update(verified);
        await this.audit.recordIn(stores.audit, 'email.verified', { userId: user.id, details: { email: record.email.value } });
        return verified;
      }
      const moved = user.withVerifiedEmail(record.email, now);
      await stores.users.update(moved);
      await stores.oneTimeTokens.voidAll(user.id, MAILBOX_PROOF_PURPOSES, now);
      await this.mail.queueLink(stores, {
        kind: 'email_changed',
        purpose: 'revert_email',
        user,
        to: user.email,
        params: { new_email: moved.email.value },
      });
      await this.audit.recordIn(stores.audit, 'email.changed', { userId: user.id, details: { previous_email: user.email.value, email: moved.email.value } });
      return moved;
    });
  }
}
