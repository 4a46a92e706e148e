import type { SessionOrigin, User } from '../../domain/index.js';

/**
 * What the two-factor use cases report, for the audit trail and the notice mails ("two-factor log-in was turned
 * off", "a recovery code was used"). Optional: without one, nothing is reported. `origin` is the request's, when
 * the use case was given one: the history says from where a factor was turned off.
 */
export interface MfaNotifier {
  enabled(user: User, origin?: SessionOrigin): Promise<void>;
  disabled(user: User, origin?: SessionOrigin): Promise<void>;
  recoveryCodeUsed(user: User, remaining: number, origin?: SessionOrigin): Promise<void>;
  /** Too many wrong codes in a row: every code is refused until a password reset from a mailed link. */
  locked?(user: User, origin?: SessionOrigin): Promise<void>;
}
