import { LastSuperuser, NotASuperuser } from './errors.js';
import type { User } from './user.js';

/**
 * The one rule about superusers: a change may not leave the service without an active one, or nobody could
 * administer it again without database access. `othersWhoAdminister` is the number of active superusers
 * besides `before`, read by the store under the same lock as the write, so two superusers demoting each other
 * at once cannot both succeed. `after` is undefined for a deletion.
 */
export function assertKeepsASuperuser(before: User, after: User | undefined, othersWhoAdminister: number): void {
  const stopsAdministering = before.administers && !(after?.administers ?? false);
  if (stopsAdministering && othersWhoAdminister === 0) throw new LastSuperuser();
}

/** "Only a superuser may": the first line of every administration use case. */
export function assertAdministers(actor: User): void {
  if (!actor.administers) throw new NotASuperuser();
}
