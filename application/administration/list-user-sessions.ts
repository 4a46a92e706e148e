import { assertAdministers, UserNotFound, type Session, type User, type UserId } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { SessionRepository } from '../ports/session-repository.js';
import type { UserRepository } from '../ports/user-repository.js';

/** A superuser sees another user's open sessions. */
export class ListUserSessions {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
  ) {}

  /** Throws `NotASuperuser` or `UserNotFound`. */
  async execute(actor: User, id: UserId): Promise<Session[]> {
    assertAdministers(actor);
    if (!(await this.users.findById(id))) throw new UserNotFound();
    return this.sessions.listOpen(id, this.clock.now());
  }
}
