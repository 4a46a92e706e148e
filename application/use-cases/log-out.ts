import type { SessionId, User } from '../../domain/index.js';
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
