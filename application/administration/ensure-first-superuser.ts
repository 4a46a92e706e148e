import { Email, EmailTaken, newUserId, User, Username, type PasswordPolicy } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { UserRepository } from '../ports/user-repository.js';
import type { AuditTrail } from '../core/audit-trail.js';

export interface FirstSuperuser {
  readonly email: string;
  readonly username: string;
  readonly password: string;
}

export type FirstSuperuserOutcome =
  | 'created'
  /** The account exists and is a superuser: a restart, or another instance created it first. */
  | 'exists'
  /** The email belongs to an account that is not a superuser; configuration never promotes it. */
  | 'exists-not-superuser';

/**
 * Creates the first superuser from configuration at start-up, once. An account that already holds the email is
 * never promoted: someone may have registered it first to take over the service. Several instances starting at
 * once are settled by the store's unique email index.
 */
export class EnsureFirstSuperuser {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  /** Throws `InvalidEmail`, `InvalidUsername`, `WeakPassword` or `UsernameTaken`: configuration to fix. */
  async execute(input: FirstSuperuser): Promise<FirstSuperuserOutcome> {
    const email = Email.parse(input.email);
    const username = Username.parse(input.username);
    const existing = await this.users.findByEmail(email);
    if (existing) return existing.isSuperuser ? 'exists' : 'exists-not-superuser';
    const password = this.policy.check(input.password, { username: username.value, email: email.value });
    const now = this.clock.now();
    const user = User.register({ id: newUserId(now), email, username, passwordHash: await this.hasher.hash(password), now, isSuperuser: true });
    try {
      await this.users.add(user);
    } catch (error) {
      if (!(error instanceof EmailTaken)) throw error;
      // Another instance (or a registration) won the race: judge the account that holds the email now.
      const winner = await this.users.findByEmail(email);
      return winner?.isSuperuser ? 'exists' : 'exists-not-superuser';
    }
    await this.audit.record('user.registered', { userId: user.id, actorId: null, details: { superuser: true, by: 'configuration' } });
    return 'created';
  }
}
