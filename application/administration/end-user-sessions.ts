import { assertAdministers, UserNotFound, type SessionOrigin, type UserId } from '../../domain/index.js';
import type { Reauthentication, ReauthenticationProof, Requester } from '../core/reauthentication.js';
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
    private readonly reauthentication: Reauthentication,
  ) {}

  /** A sensitive action. Throws `NotASuperuser`, `UserNotFound`, or what `Reauthentication.require` throws. Returns how many sessions ended. */
  async execute(requester: Requester, id: UserId, origin: SessionOrigin = {}, proof?: ReauthenticationProof): Promise<number> {
    const actor = requester.user;
    assertAdministers(actor);
    await this.reauthentication.require(requester, proof, origin);
    if (!(await this.users.findById(id))) throw new UserNotFound();
    const ended = await this.sessions.revokeAll(id, this.clock.now());
    await this.audit.record('session.ended', { userId: id, actorId: actor.id, origin, details: { sessions: ended, scope: 'all' } });
    return ended;
  }
}
