import {
  CurrentPasswordRequired,
  Email,
  InvalidToken,
  normalizePassword,
  Username,
  WrongCurrentPassword,
  type PasswordPolicy,
  type User,
} from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { SessionRepository } from '../ports/session-repository.js';
import type { UserRepository } from '../ports/user-repository.js';
import type { AuditTrail } from './audit-trail.js';

export interface UpdateCurrentUserInput {
  readonly email?: string | undefined;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly currentPassword?: string | undefined;
}

export class UpdateCurrentUser {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly clock: Clock,
    private readonly sessions: SessionRepository,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * Applies the changes given and returns the saved user. A password change needs the current password and
   * revokes every token issued before it.
   * Throws `InvalidEmail`, `InvalidUsername`, `WeakPassword`, `CurrentPasswordRequired`,
   * `WrongCurrentPassword`, `EmailTaken`, `UsernameTaken`, or `InvalidToken` when the user is gone.
   */
  async execute(current: User, input: UpdateCurrentUserInput): Promise<User> {
    const now = this.clock.now();
    let user = current;
    // Everything is validated before the slow password work, so a bad email costs no bcrypt round.
    if (input.email !== undefined) user = user.withEmail(Email.parse(input.email), now);
    if (input.username !== undefined) user = user.withUsername(Username.parse(input.username), now);
    if (input.password !== undefined) {
      if (input.currentPassword === undefined) throw new CurrentPasswordRequired();
      const password = this.policy.check(input.password, { username: user.username.value, email: user.email.value });
      const matches = await this.hasher.verify(normalizePassword(input.currentPassword), current.passwordHash);
      if (!matches) throw new WrongCurrentPassword();
      user = user.withPassword(await this.hasher.hash(password), now);
    }
    if (user === current) return current;
    if (!(await this.users.update(user))) throw new InvalidToken();
    // The version bump above already refuses every earlier token; this also empties the session list.
    if (user.tokenVersion !== current.tokenVersion) await this.sessions.revokeAll(user.id, now);
    if (user.passwordHash !== current.passwordHash) await this.audit.record('password.changed', { userId: user.id });
    if (!user.email.equals(current.email)) {
      await this.audit.record('email.changed', { userId: user.id, details: { previous_email: current.email.value, email: user.email.value } });
    }
    return user;
  }
}
