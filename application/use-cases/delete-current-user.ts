import { assertKeepsASuperuser, InvalidToken, type User } from '../../domain/index.js';
import type { UserRepository } from '../ports/user-repository.js';
import type { AuditTrail } from './audit-trail.js';

/** Deleting the row is what revokes the user's tokens: they name a user that no longer exists. */
export class DeleteCurrentUser {
  constructor(
    private readonly users: UserRepository,
    private readonly audit: AuditTrail,
  ) {}

  /** Throws `LastSuperuser`, or `InvalidToken` when the user was already gone (a concurrent delete). */
  async execute(current: User): Promise<void> {
    const removed = await this.users.removeWith(current.id, (user, others) => assertKeepsASuperuser(user, undefined, others));
    if (!removed) throw new InvalidToken();
    // The history outlives the account (no foreign key), so administrators can still see it went, and who it was.
    await this.audit.record('user.deleted', { userId: removed.id, details: { username: removed.username.value } });
  }
}
