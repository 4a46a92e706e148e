import type { User } from '../../domain/index.js';

/**
 * What the two-factor use cases report, for the audit trail and the notice mails ("two-factor log-in was turned
 * off", "a recovery code was used"). Optional: without one, nothing is reported.
 */
export interface MfaNotifier {
  enabled(user: User): Promise<void>;
  disabled(user: User): Promise<void>;
  recoveryCodeUsed(user: User, remaining: number): Promise<void>;
}
