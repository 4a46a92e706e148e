import { assertAdministers, assertKeepsASuperuser, UserNotFound, type SessionOrigin, type User, type UserId } from '../../domain/index.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { AuditTrail } from '../core/audit-trail.js';

/**
 * A superuser deletes an account; deleting the row revokes its tokens, as `DeleteCurrentUser` does. The deletion
 * and its event commit together.
 */
export class DeleteUser {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditTrail,
  ) {}

  /** Throws `NotASuperuser`, `UserNotFound` or `LastSuperuser`. */
  async execute(actor: User, id: UserId, origin: SessionOrigin = {}): Promise<void> {
    assertAdministers(actor);
    await this.unitOfWork.run(async (stores) => {
      const removed = await stores.users.removeWith(id, (user, others) => assertKeepsASuperuser(user, undefined, others));
      if (!removed) throw new UserNotFound();
      const details = { username: removed.username.value };
      await this.audit.recordIn(stores.audit, 'admin.user_deleted', { userId: id, actorId: actor.id, origin, details });
    });
  }
}
