import {
  CurrentPasswordRequired,
  Email,
  EmailTaken,
  InvalidToken,
  MAILBOX_PROOF_PURPOSES,
  normalizePassword,
  Username,
  WrongCurrentPassword,
  type PasswordPolicy,
  type SessionOrigin,
  type User,
} from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { AuditTrail } from '../core/audit-trail.js';
import type { LoginThrottle } from '../core/login-throttle.js';
import type { MailQueue } from '../core/mail-queue.js';

export interface UpdateCurrentUserInput {
  readonly email?: string | undefined;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly currentPassword?: string | undefined;
}

export interface UpdateOptions {
  /** REQUIRE_VERIFIED_EMAIL: a new address takes effect only once it follows the link mailed to it. */
  readonly requireVerifiedEmail: boolean;
}

export class UpdateCurrentUser {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly clock: Clock,
    private readonly mail: MailQueue,
    private readonly audit: AuditTrail,
    private readonly throttle: LoginThrottle,
    private readonly options: UpdateOptions = { requireVerifiedEmail: false },
  ) {}

  /**
   * Applies the changes given and returns the saved user. A password change needs the current password, revokes
   * every token issued before it and tells the owner. A new email is unverified and gets a verification link; the
   * old address gets a notice with a revert link (or, confirm-first, the new address gets a confirmation link and
   * nothing changes yet). Either change voids every outstanding verification and reset link.
   * Throws `InvalidEmail`, `InvalidUsername`, `WeakPassword`, `CurrentPasswordRequired`,
   * `WrongCurrentPassword`, `TooManyLoginAttempts`, `EmailTaken`, `UsernameTaken`, or `InvalidToken` when the user
   * is gone. A wrong current password counts against the account's log-in budget, as at log-in: a stolen access
   * token must not buy unlimited guesses at the password.
   */
  async execute(current: User, input: UpdateCurrentUserInput, origin: SessionOrigin = {}): Promise<User> {
    const now = this.clock.now();
    let user = current;
    // Everything is validated before the slow password work, so a bad email costs no bcrypt round.
    const email = input.email === undefined ? undefined : Email.parse(input.email);
    const newEmail = email !== undefined && email.value !== current.email.value ? email : undefined;
    const confirmFirst = newEmail !== undefined && this.options.requireVerifiedEmail;
    if (newEmail && !confirmFirst) user = user.withEmail(newEmail, now);
    if (input.username !== undefined) user = user.withUsername(Username.parse(input.username), now);
    if (input.password !== undefined) {
      if (input.currentPassword === undefined) throw new CurrentPasswordRequired();
      const password = this.policy.check(input.password, { username: user.username.value, email: user.email.value });
      const account = `user:${current.id}`;
      const address = origin.ip ?? 'unknown';
      await this.throttle.check(account, address);
      const matches = await this.hasher.verify(normalizePassword(input.currentPassword), current.passwordHash);
      if (!matches) {
        await this.throttle.recordFailure(account, address);
        throw new WrongCurrentPassword();
      }
      user = user.withPassword(await this.hasher.hash(password), now);
    }
    if (user === current && !confirmFirst) return current;

    return this.unitOfWork.run(async (stores) => {
      if (user !== current && !(await stores.users.update(user))) throw new InvalidToken();
      const passwordChanged = user.tokenVersion !== current.tokenVersion;
      const emailChanged = user.email.value !== current.email.value;
      // The version bump already refuses every earlier token; this also empties the session list.
      if (passwordChanged) await stores.sessions.revokeAll(user.id, now);
      if (passwordChanged || emailChanged) await stores.oneTimeTokens.voidAll(user.id, MAILBOX_PROOF_PURPOSES, now);
      if (passwordChanged) await this.mail.queueNotice(stores, 'password_changed', user, current.email);
      if (passwordChanged) await this.audit.recordIn(stores.audit, 'password.changed', { userId: user.id });
      if (emailChanged) {
        const details = { previous_email: current.email.value, email: user.email.value };
        await this.audit.recordIn(stores.audit, 'email.changed', { userId: user.id, details });
      }
      if (emailChanged) {
        await this.mail.queueLink(stores, { kind: 'verify_email', purpose: 'verify_email', user, to: user.email });
        await this.mail.queueLink(stores, {
          kind: 'email_changed',
          purpose: 'revert_email',
          user,
          to: current.email,
          params: { new_email: user.email.value },
        });
      }
      if (confirmFirst) {
        // Said now rather than at confirmation, where the clash would leave a link that can never work.
        const owner = await stores.users.findByEmail(newEmail);
        if (owner && owner.id !== user.id) throw new EmailTaken();
        await stores.oneTimeTokens.voidAll(user.id, ['confirm_email_change'], now);
        await this.mail.queueLink(stores, {
          kind: 'confirm_email_change',
          purpose: 'confirm_email_change',
          user,
          to: newEmail,
          params: { new_email: newEmail.value },
        });
      }
      return user;
    });
  }
}
