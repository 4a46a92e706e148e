import { Email, EmailTaken, newUserId, User, Username, UsernameTaken, type PasswordPolicy } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { MailQueue } from '../core/mail-queue.js';
import type { MailThrottle } from '../core/mail-throttle.js';
import type { AuditTrail } from '../core/audit-trail.js';

export interface RegisterUserInput {
  readonly email: string;
  readonly username: string;
  readonly password: string;
  /** The client's address, for the per-client mail budget. */
  readonly client?: string | undefined;
}

export interface RegistrationOptions {
  /**
   * REQUIRE_VERIFIED_EMAIL: the owner of a taken address is mailed a notice, so the HTTP answer can be the same for
   * a new and a taken address (the notice is what tells the owner someone tried).
   */
  readonly requireVerifiedEmail: boolean;
}

export class RegisterUser {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly clock: Clock,
    private readonly mail: MailQueue,
    private readonly throttle: MailThrottle,
    private readonly audit: AuditTrail,
    private readonly options: RegistrationOptions = { requireVerifiedEmail: false },
  ) {}

  /**
   * Saves the user and queues the verification mail in the same transaction.
   * Throws `InvalidEmail`, `InvalidUsername`, `WeakPassword`, `EmailTaken` or `UsernameTaken`; with
   * `requireVerifiedEmail`, the owner of a taken address has been mailed (within the mail limits) before
   * `EmailTaken` is thrown.
   */
  async execute(input: RegisterUserInput): Promise<User> {
    const email = Email.parse(input.email);
    const username = Username.parse(input.username);
    const password = this.policy.check(input.password, { username: username.value, email: email.value });
    const passwordHash = await this.hasher.hash(password);
    const now = this.clock.now();
    const user = User.register({ id: newUserId(now), email, username, passwordHash, now });
    try {
      // No look-up first: the store's unique indexes decide, which is the only answer that holds under concurrency.
      return await this.unitOfWork.run(async (stores) => {
        await stores.users.add(user);
        await this.mail.queueLink(stores, { kind: 'verify_email', purpose: 'verify_email', user, to: email });
        await this.audit.recordIn(stores.audit, 'user.registered', { userId: user.id });
        return user;
      });
    } catch (error) {
      if (error instanceof EmailTaken && this.options.requireVerifiedEmail) {
        await this.#tellOwner(email, input.client);
        // The unique email index fails first, so a taken username would go unsaid for a taken email and be said
        // for a free one: the answer would tell the two apart. Said here, it is the same for both.
        if (await this.unitOfWork.run((stores) => stores.users.findByUsername(username))) throw new UsernameTaken();
      }
      throw error;
    }
  }

  async #tellOwner(email: Email, client: string | undefined): Promise<void> {
    // A notice per attempt would let anyone mail-bomb an address by registering it over and over.
    if (!(await this.throttle.allow(email, client))) return;
    await this.unitOfWork.run(async (stores) => {
      const owner = await stores.users.findByEmail(email);
      if (owner) await this.mail.queueNotice(stores, 'registration_attempt', owner);
    });
  }
}
