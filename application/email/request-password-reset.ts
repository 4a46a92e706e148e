import { Email } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { MailQueue } from '../core/mail-queue.js';
import type { MailThrottle } from '../core/mail-throttle.js';
import type { MailRequestInput } from './request-verification.js';

/**
 * Mails a reset link to an active account at that address; a new link voids the older ones. Like
 * `RequestVerification`, it resolves the same way whatever the address, so it cannot be used to find accounts.
 */
export class RequestPasswordReset {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly mail: MailQueue,
    private readonly throttle: MailThrottle,
    private readonly clock: Clock,
  ) {}

  /** Throws `InvalidEmail` for an address no account could have. */
  async execute(input: MailRequestInput): Promise<void> {
    const email = Email.parse(input.email);
    if (!(await this.throttle.allow(email, input.client))) return;
    await this.unitOfWork.run(async (stores) => {
      const user = await stores.users.findByEmail(email);
      if (!user || !user.isActive) return;
      await stores.oneTimeTokens.voidAll(user.id, ['reset_password'], this.clock.now());
      await this.mail.queueLink(stores, { kind: 'reset_password', purpose: 'reset_password', user, to: user.email });
    });
  }
}
