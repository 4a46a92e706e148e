import { Email } from '../../domain/index.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { MailQueue } from '../core/mail-queue.js';
import type { MailThrottle } from '../core/mail-throttle.js';

export interface MailRequestInput {
  readonly email: string;
  /** The client's address, for the per-client budget. */
  readonly client: string | undefined;
}

/**
 * Mails a verification link to an active, unverified account at that address. The caller learns nothing: known,
 * unknown, verified or over the limit, the call resolves the same way, and both kinds of address run one
 * transaction with one look-up, so the time taken tells little either (the known one adds two inserts to it).
 */
export class RequestVerification {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly mail: MailQueue,
    private readonly throttle: MailThrottle,
  ) {}

  /** Throws `InvalidEmail` for an address no account could have. */
  async execute(input: MailRequestInput): Promise<void> {
    const email = Email.parse(input.email);
    if (!(await this.throttle.allow(email, input.client))) return;
    await this.unitOfWork.run(async (stores) => {
      const user = await stores.users.findByEmail(email);
      if (!user || !user.isActive || user.isVerified) return;
      await this.mail.queueLink(stores, { kind: 'verify_email', purpose: 'verify_email', user, to: user.email });
    });
  }
}
