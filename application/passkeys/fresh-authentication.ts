import { FreshAuthenticationRequired, type Session, type User } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';

/** The caller of a sensitive passkey action, as the bearer (or cookie) middleware found them. */
export interface PasskeyActor {
  readonly user: User;
  readonly session: Session;
}

/**
 * The one call site through which every sensitive passkey action (asking for registration options, adding and
 * removing a passkey) demands a fresh authentication (RFC 9470). Bound in bootstrap; the step-up feature's
 * `Reauthentication` replaces `SessionAgeFreshness` there without touching the use cases.
 */
export interface FreshAuthenticationCheck {
  /** Throws `FreshAuthenticationRequired` unless the actor proved their credentials recently enough. */
  require(actor: PasskeyActor): Promise<void>;
}

/**
 * Stand-in until sessions remember `auth_time`: the session's own log-in is its last proof, so a session opened
 * within `maxAgeMs` is fresh; for an account with two-factor log-in on, only if that log-in included the second
 * factor (`otp`) or a passkey (`mfa`).
 */
export class SessionAgeFreshness implements FreshAuthenticationCheck {
  constructor(
    private readonly clock: Clock,
    private readonly maxAgeMs: number,
  ) {}

  async require({ user, session }: PasskeyActor): Promise<void> {
    const age = this.clock.now().getTime() - session.createdAt.getTime();
    const strongEnough = !user.mfaEnabled || session.amr.includes('otp') || session.amr.includes('mfa');
    if (age > this.maxAgeMs || !strongEnough) throw new FreshAuthenticationRequired(Math.floor(this.maxAgeMs / 1000));
  }
}
