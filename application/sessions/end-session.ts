import { SessionNotFound, type SessionId, type User } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { SessionRepository } from '../ports/session-repository.js';
import type { AuditTrail } from '../core/audit-trail.js';

/** Ends one session of the current user, for example a device they lost. */
export class EndSession {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  /** Throws `SessionNotFound` when the user has no open session with that id. */
  async execute(user: User, sessionId: SessionId): Promise<void> {
    if (!(await this.sessions.revoke(user.id, sessionId, this.clock.now()))) throw new SessionNotFound();
    await this.audit.record('session.ended', { userId: user.id, details: { scope: 'one', session_id: sessionId } });
  }
}
