import type { SessionOrigin, User } from '../../domain/index.js';
import type { MfaNotifier } from './mfa-notifier.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { MailQueue } from '../core/mail-queue.js';

/**
 * Tells the owner by mail when their second factor stops protecting them: turned off, or bypassed with a recovery
 * code. Either may be an attacker holding the password; the mail is how the owner finds out. Turning it on needs
 * no notice (it only makes the account harder to take).
 */
export class MailMfaNotifier implements MfaNotifier {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly mail: MailQueue,
  ) {}

  async enabled(_user: User): Promise<void> {}

  async disabled(user: User, _origin?: SessionOrigin): Promise<void> {
    await this.unitOfWork.run((stores) => this.mail.queueNotice(stores, 'two_factor_disabled', user));
  }

  async locked(user: User, _origin?: SessionOrigin): Promise<void> {
    await this.unitOfWork.run((stores) => this.mail.queueNotice(stores, 'two_factor_locked', user));
  }

  async recoveryCodeUsed(user: User, remaining: number, _origin?: SessionOrigin): Promise<void> {
    await this.unitOfWork.run((stores) => this.mail.queueNotice(stores, 'recovery_code_used', user, user.email, { remaining: String(remaining) }));
  }
}
