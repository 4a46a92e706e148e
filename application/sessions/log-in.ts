import { randomBytes } from 'node:crypto';
import {
  Email,
  EmailNotVerified,
  InactiveUser,
  InvalidCredentials,
  InvalidEmail,
  InvalidUsername,
  MFA_CHALLENGE_TTL_MS,
  MfaChallenge,
  MfaRequired,
  normalizePassword,
  PASSWORD_ONLY,
  PASSWORD_MAX_BYTES,
  passwordByteLength,
  TooManyLoginAttempts,
  Username,
  type SessionOrigin,
  type User,
} from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { MfaChallengeStore } from '../ports/mfa-challenge-store.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { UserRepository } from '../ports/user-repository.js';
import type { AuditTrail } from '../core/audit-trail.js';
import type { LoginThrottle } from '../core/login-throttle.js';
import type { LogInResult, OpenSession } from '../core/open-session.js';

export type { LogInResult };

export interface LogInInput {
  /** The username or the email address. */
  readonly login: string;
  readonly password: string;
  /** Where the request came from: the per-address failure budget and the session list use it. */
  readonly origin: SessionOrigin;
}

export class LogIn {
  #dummyHash: Promise<string> | undefined;

  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly openSession: OpenSession,
    private readonly throttle: LoginThrottle,
    private readonly mfaChallenges: MfaChallengeStore,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    /** REQUIRE_VERIFIED_EMAIL: an account logs in only once its address is verified. */
    private readonly options: { readonly requireVerifiedEmail: boolean } = { requireVerifiedEmail: false },
  ) {}

  /**
   * Runs exactly one password verification whatever happens, against a dummy hash of the same cost when the
   * user is unknown, so the time taken does not reveal which accounts exist. An account whose failure budget is
   * spent is refused before any verification, known or not, so the refusal reveals nothing either.
   * Throws `TooManyLoginAttempts`, `InvalidCredentials`, `InactiveUser` or `EmailNotVerified`; for an account with
   * two-factor log-in on, `MfaRequired` with the token `CompleteMfaLogIn` takes.
   */
  async execute(input: LogInInput): Promise<LogInResult> {
    const user = await this.findUser(input.login);
    // Failures of a known account count against its id, so its email and its username share one budget.
    const account = user ? `user:${user.id}` : `login:${input.login.trim().toLowerCase()}`;
    const address = input.origin.ip ?? 'unknown';
    try {
      await this.throttle.check(account, address);
    } catch (error) {
      if (error instanceof TooManyLoginAttempts) await this.recordFailure('login.throttled', user, input);
      throw error;
    }

    const password = normalizePassword(input.password);
    const hash = user?.passwordHash ?? (await this.dummyHash());
    const matches = await this.hasher.verify(password, hash);
    // bcrypt ignores bytes past 72: a longer password must not log in on its first 72 bytes alone.
    // Checked after verifying, so the answer takes as long as any other refusal.
    if (!user || !matches || passwordByteLength(password) > PASSWORD_MAX_BYTES) {
      await this.throttle.recordFailure(account, address);
      await this.recordFailure('login.failed', user, input);
      throw new InvalidCredentials();
    }
    // With a second factor the log-in has not succeeded yet: clearing the failures here would let an attacker who
    // has the password reset the budget before every few guesses at the code.
    if (!user.mfaEnabled) await this.throttle.recordSuccess(account, address);
    // Only a caller who knows the password learns that the account is inactive.
    if (!user.isActive) {
      await this.recordFailure('login.failed', user, input, 'inactive');
      throw new InactiveUser();
    }
    if (this.options.requireVerifiedEmail && !user.isVerified) {
      await this.recordFailure('login.failed', user, input, 'email_not_verified');
      throw new EmailNotVerified();
    }
    if (user.mfaEnabled) {
      const { challenge, token } = MfaChallenge.issue({ userId: user.id, tokenVersion: user.tokenVersion, ip: address, now: this.clock.now() });
      await this.mfaChallenges.add(challenge);
      // The log-in succeeds, and is recorded, only once the second factor is through (CompleteMfaLogIn).
      throw new MfaRequired(token, MFA_CHALLENGE_TTL_MS / 1000);
    }
    const tokens = await this.openSession.execute(user, input.origin, PASSWORD_ONLY);
    // The same details as a two-step log-in's (CompleteMfaLogIn), so the history says how every session began.
    await this.audit.record('login.succeeded', { userId: user.id, origin: input.origin, details: { amr: [...PASSWORD_ONLY] } });
    return { user, tokens };
  }

  /**
   * Nobody is logged in, so no actor. The login text is kept only when it names the account (then it is that
   * account's username or email): an unknown one may be a password typed into the wrong field.
   */
  private recordFailure(type: 'login.failed' | 'login.throttled', user: User | undefined, input: LogInInput, reason?: string): Promise<void> {
    return this.audit.record(type, {
      userId: user?.id ?? null,
      actorId: null,
      origin: input.origin,
      details: user ? { username: user.username.value, ...(reason ? { reason } : {}) } : { reason: 'unknown_account' },
    });
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
