import { assertKeepsASuperuser, InvalidToken, type SessionOrigin } from '../../domain/index.js';
import type { ReauthenticationProof, Reauthentication, Requester } from '../core/reauthentication.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { AuditTrail } from '../core/audit-trail.js';

/** Deleting the row is what revokes the user's tokens: they name a user that no longer exists. */
export class DeleteCurrentUser {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditTrail,
    private readonly reauthentication: Reauthentication,
  ) {}

  /**
   * A sensitive action: a fresh session, or a proof (the route has no body, so a client reauthenticates first).
   * Throws `FreshAuthenticationRequired` (and what a proof may throw), `LastSuperuser`, or `InvalidToken` when the
   * user was already gone (a concurrent delete).
   */
  async execute(requester: Requester, origin: SessionOrigin = {}, proof?: ReauthenticationProof): Promise<void> {
    await this.reauthentication.require(requester, proof, origin);
    await this.unitOfWork.run(async (stores) => {
      const removed = await stores.users.removeWith(requester.user.id, (user, others) => assertKeepsASuperuser(user, undefined, others));
      if (!removed) throw new InvalidToken();
      // The history outlives the account (no foreign key), so administrators can still see it went, and who it was.
      await this.audit.recordIn(stores.audit, 'user.deleted', { userId: removed.id, origin, details: { username: removed.username.value } });
    });
  }
}
