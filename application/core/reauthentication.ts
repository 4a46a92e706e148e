import {
  FreshAuthenticationRequired,
  InvalidReauthenticationCode,
  normalizePassword,
  PASSWORD_AND_OTP,
  PASSWORD_ONLY,
  SecondFactorCodeRequired,
  WrongCurrentPassword,
  type AuthenticationMethod,
  type Session,
  type SessionOrigin,
  type User,
} from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { LoginThrottle } from './login-throttle.js';

/**
 * Credentials presented again with a sensitive request. The password (with a code when the account has two-factor
 * log-in on) is the one kind today; a passkey assertion joins this union as `{ kind: 'passkey', ... }` with its
 * own case in `Reauthentication.verify`.
 */
export type ReauthenticationProof = { readonly kind: 'password'; readonly password: string; readonly code?: string | undefined };

/** Who asks: the bearer's user and session, as the edge authenticated them. */
export interface Requester {
  readonly user: User;
  readonly session: Session;
}

export interface ReauthenticationPolicy {
  /** REAUTH_MAX_AGE_SECONDS: how old a session's last proof may be for a sensitive action (RFC 9470 `max_age`). */
  readonly maxAgeSeconds: number;
}

export const DEFAULT_REAUTHENTICATION_POLICY: ReauthenticationPolicy = { maxAgeSeconds: 300 };

/**
 * Checks and spends a second-factor code of an account with two-factor log-in on (the two-factor feature provides
 * it: `totpCodeVerifier`); a program without two-factor log-in gives none. True when the code was right.
 */
export interface SecondFactorVerifier {
  verify(user: User, code: string, origin: SessionOrigin): Promise<boolean>;
}

/**
 * The one home of "prove it is you again" (Supabase Auth's `reauthenticate.go`; RFC 9470). Every sensitive action
 * calls `require` before it changes anything: a stolen access token alone must not change the email, the password
 * or the second factor, nor delete the account. The proof costs what a log-in costs: the account's failure budget
 * is checked first and a wrong password or code counts against it, and wrong codes also count towards the lock of
 * `SecondFactorCheck`.
 */
export class Reauthentication {
  constructor(
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly clock: Clock,
    private readonly policy: ReauthenticationPolicy = DEFAULT_REAUTHENTICATION_POLICY,
    private readonly secondFactor?: SecondFactorVerifier,
  ) {}

  get maxAgeSeconds(): number {
    return this.policy.maxAgeSeconds;
  }

  /**
   * Lets a sensitive action go ahead: with a proof, when it holds (a wrong one is refused even in a fresh session,
   * so it keeps counting); without one, when the session is fresh (`Session.isFresh`). Throws
   * `FreshAuthenticationRequired`, or what `verify` throws.
   */
  async require(requester: Requester, proof: ReauthenticationProof | undefined, origin: SessionOrigin = {}): Promise<void> {
    if (proof) {
      await this.verify(requester.user, proof, origin);
      return;
    }
    if (!requester.session.isFresh(this.clock.now(), this.policy.maxAgeSeconds * 1000, requester.user)) {
      throw new FreshAuthenticationRequired(this.policy.maxAgeSeconds);
    }
  }

  /**
   * Checks a proof and returns what it proved (RFC 8176 `amr`). Throws `TooManyLoginAttempts`,
   * `WrongCurrentPassword`, `SecondFactorCodeRequired` (before any password work), `InvalidReauthenticationCode`
   * or `MfaLocked`.
   */
  async verify(user: User, proof: ReauthenticationProof, origin: SessionOrigin = {}): Promise<readonly AuthenticationMethod[]> {
    switch (proof.kind) {
      case 'password':
        return this.#verifyPassword(user, proof, origin);
    }
  }

  async #verifyPassword(user: User, proof: ReauthenticationProof, origin: SessionOrigin): Promise<readonly AuthenticationMethod[]> {
    if (user.mfaEnabled && proof.code === undefined) throw new SecondFactorCodeRequired();
    const account = `user:${user.id}`;
    const address = origin.ip ?? 'unknown';
    await this.throttle.check(account, address);
    if (!(await this.hasher.verify(normalizePassword(proof.password), user.passwordHash))) {
      await this.throttle.recordFailure(account, address);
      throw new WrongCurrentPassword();
    }
    if (!user.mfaEnabled) return PASSWORD_ONLY;
    // A code that cannot be checked proves nothing.
    if (!this.secondFactor || !(await this.secondFactor.verify(user, proof.code!, origin))) {
      await this.throttle.recordFailure(account, address);
      throw new InvalidReauthenticationCode();
    }
    return PASSWORD_AND_OTP;
  }
}

/** The proof a request body carries, if any: `current_password` (and `code`). */
export function passwordProof(currentPassword: string | undefined, code?: string | undefined): ReauthenticationProof | undefined {
  return currentPassword === undefined ? undefined : { kind: 'password', password: currentPassword, code };
}
