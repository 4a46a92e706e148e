import { assertAdministers, assertKeepsASuperuser, UserNotFound, type SessionOrigin, type User, type UserId } from '../../domain/index.js';
import type { UserRepository } from '../ports/user-repository.js';
import type { AuditTrail } from './audit-trail.js';

/** A superuser deletes an account; deleting the row revokes its tokens, as `DeleteCurrentUser` does. */
export class DeleteUser {
  constructor(
    private readonly users: UserRepository,
    private readonly audit: AuditTrail,
  ) {}

  /** Throws `NotASuperuser`, `UserNotFound` or `LastSuperuser`. */
  async execute(actor: User, id: UserId, origin: SessionOrigin = {}): Promise<void> {
    assertAdministers(actor);
    const removed = await this.users.removeWith(id, (user, others) => assertKeepsASuperuser(user, undefined, others));
    if (!removed) throw new UserNotFound();
    await this.audit.record('admin.user_deleted', { userId: id, actorId: actor.id, origin, details: { username: removed.username.value } });
  }
}
