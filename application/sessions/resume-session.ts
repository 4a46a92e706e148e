import { InvalidToken, type SessionId } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { SessionRepository } from '../ports/session-repository.js';
import type { Authenticated } from './authenticate-user.js';

/**
 * Turns the id of a session that the edge has already proven the caller holds (a browser's signed session cookie)
 * into the user and session: the same one read, and the same rules, as a bearer token's check, so ending a session
 * anywhere (log-out, a password change, an administrator) ends the browser's at once.
 */
export class ResumeSession {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
  ) {}

  /** Throws `InvalidToken` when the session is ended or expired, or its user is gone, inactive or changed. */
  async execute(sessionId: SessionId): Promise<Authenticated> {
    const found = await this.sessions.findWithUser(sessionId);
    if (!found || !found.user.isActive || !found.session.isOpenFor(found.user, this.clock.now())) throw new InvalidToken();
    return found;
  }
}
