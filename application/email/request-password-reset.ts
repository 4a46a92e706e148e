import { Email } from '../../domain/index.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { MailQueue } from '../core/mail-queue.js';
import type { MailThrottle } from '../core/mail-throttle.js';
import type { MailRequestInput } from './request-verification.js';

/**
 * Asks for a reset link to be mailed to an active account at that address; the link, once issued, voids the older
 * ones. Like `RequestVerification`, it stores the request without looking the address up (the request worker
 * resolves it), so neither its answer nor its duration tells whether the address has an account.
 */
export class RequestPasswordReset {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly mail: MailQueue,
    private readonly throttle: MailThrottle,
  ) {}

  /** Throws `InvalidEmail` for an address no account could have. */
  async execute(input: MailRequestInput): Promise<void> {
    const email = Email.parse(input.email);
    if (!(await this.throttle.allow(email, input.client))) return;
    await this.unitOfWork.run((stores) => this.mail.queueRequest(stores, 'password_reset_request', email, input.client));
  }
}
