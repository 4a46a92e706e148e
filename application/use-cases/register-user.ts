import { Email, newUserId, User, Username, type PasswordPolicy } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { UserRepository } from '../ports/user-repository.js';
import type { AuditTrail } from './audit-trail.js';

export interface RegisterUserInput {
  readonly email: string;
  readonly username: string;
  readonly password: string;
}

export class RegisterUser {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  /** Throws `InvalidEmail`, `InvalidUsername`, `WeakPassword`, `EmailTaken` or `UsernameTaken`. */
  async execute(input: RegisterUserInput): Promise<User> {
    const email = Email.parse(input.email);
    const username = Username.parse(input.username);
    const password = this.policy.check(input.password, { username: username.value, email: email.value });
    const passwordHash = await this.hasher.hash(password);
    const now = this.clock.now();
    const user = User.register({ id: newUserId(now), email, username, passwordHash, now });
    // No look-up first: the store's unique indexes decide, which is the only answer that holds under concurrency.
    await this.users.add(user);
    await this.audit.record('user.registered', { userId: user.id });
    return user;
  }
}
