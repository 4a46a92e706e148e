import { assertAdministers, UserNotFound, type SessionOrigin, type User, type UserId } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { SessionRepository } from '../ports/session-repository.js';
import type { UserRepository } from '../ports/user-repository.js';
import type { AuditTrail } from '../core/audit-trail.js';

/** A superuser ends every session of a user: each of its tokens is refused on the next request, on every instance. */
export class EndUserSessions {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  /** Throws `NotASuperuser` or `UserNotFound`. Returns how many sessions ended. */
  async execute(actor: User, id: UserId, origin: SessionOrigin = {}): Promise<number> {
    assertAdministers(actor);
    if (!(await this.users.findById(id))) throw new UserNotFound();
    const ended = await this.sessions.revokeAll(id, this.clock.now());
    await this.audit.record('session.ended', { userId: id, actorId: actor.id, origin, details: { sessions: ended, scope: 'all' } });
    return ended;
  }
}
