import type { Session, User } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { SessionRepository } from '../ports/session-repository.js';

/** The user's open sessions, newest first, for them to recognise their devices. */
export class ListSessions {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
  ) {}

  execute(user: User): Promise<Session[]> {
    return this.sessions.listOpen(user.id, this.clock.now());
  }
}
