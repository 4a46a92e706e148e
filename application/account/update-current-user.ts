import { Email, EmailTaken, InvalidToken, MAILBOX_PROOF_PURPOSES, Username, type PasswordPolicy, type SessionOrigin, type User } from '../../domain/index.js';
import type { CredentialsChanged } from '../core/credentials-changed.js';
import { passwordProof, type Reauthentication, type Requester } from '../core/reauthentication.js';
import type { Clock } from '../ports/clock.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { MailQueue } from '../core/mail-queue.js';

export interface UpdateCurrentUserInput {
  readonly email?: string | undefined;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly currentPassword?: string | undefined;
  /** With `currentPassword`, for an account with two-factor log-in on: a TOTP or recovery code. */
  readonly code?: string | undefined;
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
    private readonly reauthentication: Reauthentication,
    private readonly credentialsChanged: CredentialsChanged,
    private readonly options: UpdateOptions = { requireVerifiedEmail: false },
  ) {}

  /**
   * Applies the changes given and returns the saved user. A change of email or password is a sensitive action
   * (`Reauthentication.require`): `currentPassword` (and `code`) or a fresh session. A password change revokes
   * every token issued before it and tells the owner. A new email is unverified and gets a verification link; the
   * old address gets a notice with a revert link (or, confirm-first, the new address gets a confirmation link and
   * nothing changes yet). Either change voids every outstanding verification and reset link.
   * Throws `InvalidEmail`, `InvalidUsername`, `WeakPassword`, `FreshAuthenticationRequired`,
   * `WrongCurrentPassword` (counted against the log-in budget), `SecondFactorCodeRequired`,
   * `InvalidReauthenticationCode`, `MfaLocked`, `TooManyLoginAttempts`, `EmailTaken`, `UsernameTaken`, or
   * `InvalidToken` when the user is gone.
   */
  async execute(requester: Requester, input: UpdateCurrentUserInput, origin: SessionOrigin = {}): Promise<User> {
    const current = requester.user;
    const now = this.clock.now();
    let user = current;
    // Everything is validated before the slow password work, so a bad email costs no bcrypt round.
    const email = input.email === undefined ? undefined : Email.parse(input.email);
    const newEmail = email !== undefined && email.value !== current.email.value ? email : undefined;
    const confirmFirst = newEmail !== undefined && this.options.requireVerifiedEmail;
    if (newEmail && !confirmFirst) user = user.withEmail(newEmail, now);
    if (input.username !== undefined) user = user.withUsername(Username.parse(input.username), now);
    const password = input.password === undefined ? undefined : this.policy.check(input.password, { username: user.username.value, email: user.email.value });
    // An email change is as sensitive as a password change: the new address receives the reset links.
    if (password !== undefined || newEmail !== undefined) {
      await this.reauthentication.require(requester, passwordProof(input.currentPassword, input.code), origin);
    }
    if (password !== undefined) user = user.withPassword(await this.hasher.hash(password), now);
    if (user === current && !confirmFirst) return current;

    return this.unitOfWork.run(async (stores) => {
      if (user !== current && !(await stores.users.update(user))) throw new InvalidToken();
      const passwordChanged = user.tokenVersion !== current.tokenVersion;
      const emailChanged = user.email.value !== current.email.value;
      // The version bump already refuses every earlier token; ending the sessions also empties the session list.
      if (passwordChanged) {
        await this.credentialsChanged.within(stores, user, {
          endSessions: true,
          voidLinks: MAILBOX_PROOF_PURPOSES,
          notice: { kind: 'password_changed', to: current.email },
          event: { type: 'password.changed' },
        });
      }
      if (emailChanged) {
        // An email change ends no session: the parts that apply are the links, the notice (below) and the record.
        await this.credentialsChanged.within(stores, user, {
          endSessions: false,
          voidLinks: passwordChanged ? [] : MAILBOX_PROOF_PURPOSES,
          event: { type: 'email.changed', details: { previous_email: current.email.value, email: user.email.value } },
        });
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
