import type { SessionOrigin, User } from '../../domain/index.js';
import type { MfaNotifier } from './mfa-notifier.js';
import type { AuditTrail } from '../core/audit-trail.js';

/** Writes the two-factor changes into the security history, as the user's own actions. */
export class AuditMfaNotifier implements MfaNotifier {
  constructor(private readonly audit: AuditTrail) {}

  enabled(user: User, origin?: SessionOrigin): Promise<void> {
    return this.audit.record('mfa.enabled', { userId: user.id, origin });
  }

  disabled(user: User, origin?: SessionOrigin): Promise<void> {
    return this.audit.record('mfa.disabled', { userId: user.id, origin });
  }

  locked(user: User, origin?: SessionOrigin): Promise<void> {
    return this.audit.record('mfa.locked', { userId: user.id, actorId: null, origin });
  }

  /** The count left, never the code: a user running low should be told to turn the factor off and on again. */
  recoveryCodeUsed(user: User, remaining: number, origin?: SessionOrigin): Promise<void> {
    return this.audit.record('mfa.recovery_code_used', { userId: user.id, origin, details: { remaining } });
  }
}
