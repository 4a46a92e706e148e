import { assertAdministers, assertKeepsASuperuser, UserNotFound, type SessionOrigin, type UserId } from '../../domain/index.js';
import type { Reauthentication, ReauthenticationProof, Requester } from '../core/reauthentication.js';
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
    private readonly reauthentication: Reauthentication,
  ) {}

  /** A sensitive action. Throws `NotASuperuser`, `UserNotFound`, `LastSuperuser`, or what `Reauthentication.require` throws. */
  async execute(requester: Requester, id: UserId, origin: SessionOrigin = {}, proof?: ReauthenticationProof): Promise<void> {
    const actor = requester.user;
    assertAdministers(actor);
    await this.reauthentication.require(requester, proof, origin);
    await this.unitOfWork.run(async (stores) => {
      const removed = await stores.users.removeWith(id, (user, others) => assertKeepsASuperuser(user, undefined, others));
      if (!removed) throw new UserNotFound();
      const details = { username: removed.username.value };
      await this.audit.recordIn(stores.audit, 'admin.user_deleted', { userId: id, actorId: actor.id, origin, details });
    });
  }
}
