import { randomBytes } from 'node:crypto';
import {
  Email,
  EmailNotVerified,
  InactiveUser,
  InvalidCredentials,
  InvalidEmail,
  InvalidUsername,
  normalizePassword,
  PASSWORD_MAX_BYTES,
  passwordByteLength,
  Username,
  type SessionOrigin,
  type User,
} from '../../domain/index.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { UserRepository } from '../ports/user-repository.js';
import type { LoginThrottle } from './login-throttle.js';
import type { OpenSession, SessionTokens } from './open-session.js';

export interface LogInInput {
  /** The username or the email address. */
  readonly login: string;
  readonly password: string;
  /** Where the request came from: the per-address failure budget and the session list use it. */
  readonly origin: SessionOrigin;
}

export interface LogInResult {
  readonly user: User;
  readonly tokens: SessionTokens;
}

export class LogIn {
  #dummyHash: Promise<string> | undefined;

  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly openSession: OpenSession,
    private readonly throttle: LoginThrottle,
    /** REQUIRE_VERIFIED_EMAIL: an account logs in only once its address is verified. */
    private readonly options: { readonly requireVerifiedEmail: boolean } = { requireVerifiedEmail: false },
  ) {}

  /**
   * Runs exactly one password verification whatever happens, against a dummy hash of the same cost when the
   * user is unknown, so the time taken does not reveal which accounts exist. An account whose failure budget is
   * spent is refused before any verification, known or not, so the refusal reveals nothing either.
   * Throws `TooManyLoginAttempts`, `InvalidCredentials`, `InactiveUser` or `EmailNotVerified`.
   */
  async execute(input: LogInInput): Promise<LogInResult> {
    const user = await this.findUser(input.login);
    // Failures of a known account count against its id, so its email and its username share one budget.
    const account = user ? `user:${user.id}` : `login:${input.login.trim().toLowerCase()}`;
    const address = input.origin.ip ?? 'unknown';
    await this.throttle.check(account, address);

    const password = normalizePassword(input.password);
    const hash = user?.passwordHash ?? (await this.dummyHash());
    const matches = await this.hasher.verify(password, hash);
    // bcrypt ignores bytes past 72: a longer password must not log in on its first 72 bytes alone.
    // Checked after verifying, so the answer takes as long as any other refusal.
    if (!user || !matches || passwordByteLength(password) > PASSWORD_MAX_BYTES) {
      await this.throttle.recordFailure(account, address);
      throw new InvalidCredentials();
    }
    await this.throttle.recordSuccess(account, address);
    // Only a caller who knows the password learns that the account is inactive.
    if (!user.isActive) throw new InactiveUser();
    if (this.options.requireVerifiedEmail && !user.isVerified) throw new EmailNotVerified();
    return { user, tokens: await this.openSession.execute(user, input.origin) };
  }

  private async findUser(login: string): Promise<User | undefined> {
    try {
      // Usernames cannot contain "@", so the two kinds of login never overlap.
      return login.includes('@')
        ? await this.users.findByEmail(Email.parse(login))
        : await this.users.findByUsername(Username.parse(login));
    } catch (error) {
      // A login that no account could have is simply an unknown user, not a validation error.
      if (error instanceof InvalidEmail || error instanceof InvalidUsername) return undefined;
      throw error;
    }
  }

  private dummyHash(): Promise<string> {
    this.#dummyHash ??= this.hasher.hash(randomBytes(32).toString('base64url')).catch((error: unknown) => {
      // A hasher too busy to answer now (see ServiceUnavailable) must not leave a failure cached for good.
      this.#dummyHash = undefined;
      throw error;
    });
    return this.#dummyHash;
  }
}
