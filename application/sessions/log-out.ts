import type { SessionId, User } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { SessionRepository } from '../ports/session-repository.js';
import type { AuditTrail } from '../core/audit-trail.js';

/** Ends the caller's current session, or all of the user's sessions. */
export class LogOut {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  async execute(user: User, currentSessionId: SessionId, scope: 'current' | 'all'): Promise<void> {
    const now = this.clock.now();
    const ended = scope === 'all' ? await this.sessions.revokeAll(user.id, now) : Number(await this.sessions.revoke(user.id, currentSessionId, now));
    if (ended > 0) {
      await this.audit.record('session.ended', { userId: user.id, details: scope === 'all' ? { scope, sessions: ended } : { scope, session_id: currentSessionId } });
    }
  }
}
