import { assertKeepsASuperuser, InvalidToken, type User } from '../../domain/index.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { AuditTrail } from '../core/audit-trail.js';

/** Deleting the row is what revokes the user's tokens: they name a user that no longer exists. */
export class DeleteCurrentUser {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditTrail,
  ) {}

  /** Throws `LastSuperuser`, or `InvalidToken` when the user was already gone (a concurrent delete). */
  async execute(current: User): Promise<void> {
    await this.unitOfWork.run(async (stores) => {
      const removed = await stores.users.removeWith(current.id, (user, others) => assertKeepsASuperuser(user, undefined, others));
      if (!removed) throw new InvalidToken();
      // The history outlives the account (no foreign key), so administrators can still see it went, and who it was.
      await this.audit.recordIn(stores.audit, 'user.deleted', { userId: removed.id, details: { username: removed.username.value } });
    });
  }
}
