import { hashOneTimeToken, InvalidOneTimeToken, ONE_TIME_TOKEN_PURPOSES } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { AuditTrail } from '../core/audit-trail.js';

/**
 * Follows the revert link mailed to the old address after an email change: the old address comes back, every
 * session ends, and every outstanding link dies, revert links included, so whoever made the change cannot answer
 * with a revert of their own.
 */
export class RevertEmail {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  /** Throws `InvalidOneTimeToken`, or `EmailTaken` when the old address has been registered since. */
  async execute(token: string): Promise<void> {
    const hash = hashOneTimeToken(token);
    const now = this.clock.now();
    await this.unitOfWork.run(async (stores) => {
      const record = await stores.oneTimeTokens.consume(hash, ['revert_email'], now);
      const user = record && (await stores.users.findById(record.userId));
      if (!record || !user) throw new InvalidOneTimeToken();
      await stores.users.update(user.withRevertedEmail(record.email, now));
      await stores.sessions.revokeAll(user.id, now);
      await stores.oneTimeTokens.voidAll(user.id, ONE_TIME_TOKEN_PURPOSES, now);
      const details = { previous_email: user.email.value, email: record.email.value, reverted: true };
      await this.audit.recordIn(stores.audit, 'email.changed', { userId: user.id, details });
    });
  }
}
