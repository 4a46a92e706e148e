import { SessionNotFound, type Session, type SessionId, type User } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { SessionRepository } from '../ports/session-repository.js';

/** Ends the caller's current session, or all of the user's sessions. */
export class LogOut {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
  ) {}

  async execute(user: User, currentSessionId: SessionId, scope: 'current' | 'all'): Promise<void> {
    const now = this.clock.now();
    if (scope === 'all') await this.sessions.revokeAll(user.id, now);
    else await this.sessions.revoke(user.id, currentSessionId, now);
  }
}

export class ListSessions {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
  ) {}

  execute(user: User): Promise<Session[]> {
    return this.sessions.listOpen(user.id, this.clock.now());
  }
}

/** Ends one session of the current user, for example a device they lost. */
export class EndSession {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
  ) {}

  /** Throws `SessionNotFound` when the user has no open session with that id. */
  async execute(user: User, sessionId: SessionId): Promise<void> {
    if (!(await this.sessions.revoke(user.id, sessionId, this.clock.now()))) throw new SessionNotFound();
  }
}
