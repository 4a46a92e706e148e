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
 * Asks for a verification link to be mailed to an active, unverified account at that address. The caller learns
 * nothing: known, unknown, verified or over the limit, the call resolves the same way. Nor does the time taken tell:
 * the call never looks the address up; it stores the request (one insert, whatever the address) and the request
 * worker resolves it (`ResolveMailRequest`), by what holds then.
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
    // The budgets count the address and the client, never the account: the same cost for any address.
    if (!(await this.throttle.allow(email, input.client))) return;
    await this.unitOfWork.run((stores) => this.mail.queueRequest(stores, 'verification_request', email, input.client));
  }
}
