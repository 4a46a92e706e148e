import { assertKeepsASuperuser, Email, UserNotFound, type User } from '../../domain/index.js';
import type { Clock } from '../ports/clock.js';
import type { UserRepository } from '../ports/user-repository.js';
import type { AuditTrail } from '../core/audit-trail.js';

/**
 * Promotes or demotes an account by email, for an operator at the command line (who has the database, so no
 * actor is checked). Demoting the last active superuser is refused like everywhere else.
 */
export class SetSuperuser {
  constructor(
    private readonly users: UserRepository,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  /** Throws `InvalidEmail`, `UserNotFound` or `LastSuperuser`. */
  async execute(emailText: string, isSuperuser: boolean): Promise<User> {
    const found = await this.users.findByEmail(Email.parse(emailText));
    if (!found) throw new UserNotFound();
    const now = this.clock.now();
    const after = await this.users.updateWith(found.id, (user, others) => {
      const next = user.withSuperuser(isSuperuser, now);
      assertKeepsASuperuser(user, next, others);
      return next;
    });
    if (!after) throw new UserNotFound();
    if (after.isSuperuser !== found.isSuperuser) {
      await this.audit.record('admin.user_updated', { userId: after.id, actorId: null, details: { fields: ['is_superuser'], is_superuser: isSuperuser, by: 'command line' } });
    }
    return after;
  }
}
