import type { SessionOrigin, User } from '../../domain/index.js';
import type { MfaNotifier } from './mfa-notifier.js';

/**
 * Several notifiers behind the one seam the use cases take (the audit trail, the notice mails). In order, one at a
 * time, and every one is tried even when an earlier one failed: a notice that the factor was turned off must not
 * depend on the audit store. A failure is then raised, not hidden.
 */
export class FanOutMfaNotifier implements MfaNotifier {
  constructor(private readonly notifiers: readonly MfaNotifier[]) {}

  enabled(user: User, origin?: SessionOrigin): Promise<void> {
    return this.each((notifier) => notifier.enabled(user, origin));
  }

  disabled(user: User, origin?: SessionOrigin): Promise<void> {
    return this.each((notifier) => notifier.disabled(user, origin));
  }

  recoveryCodeUsed(user: User, remaining: number, origin?: SessionOrigin): Promise<void> {
    return this.each((notifier) => notifier.recoveryCodeUsed(user, remaining, origin));
  }

  locked(user: User, origin?: SessionOrigin): Promise<void> {
    return this.each(async (notifier) => notifier.locked?.(user, origin));
  }

  private async each(notify: (notifier: MfaNotifier) => Promise<void>): Promise<void> {
    const failures: unknown[] = [];
    for (const notifier of this.notifiers) {
      try {
        await notify(notifier);
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, 'Several two-factor notifiers failed');
  }
}
