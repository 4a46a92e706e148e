import { assertAdministers, UserNotFound, type SessionOrigin, type UserId } from '../../domain/index.js';
import type { CredentialsChanged } from '../core/credentials-changed.js';
import type { Reauthentication, ReauthenticationProof, Requester } from '../core/reauthentication.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';

/**
 * `DELETE /users/{id}/mfa`: a superuser removes every second factor of an account (TOTP, recovery codes, and every
 * other kind registered with `CredentialsChanged`), for an owner who lost them or whose account was taken over. The
 * owner is mailed; an `admin.mfa_reset` event records who did it. A pending log-in's second step dies with the
 * factor (the step finds none), and every session of the account ends, as after a password change: sessions opened
 * with the removed factor must not outlive it.
 */
export class ResetUserSecondFactors {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly reauthentication: Reauthentication,
    private readonly credentialsChanged: CredentialsChanged,
  ) {}

  /** A sensitive action. Throws `NotASuperuser`, `UserNotFound`, or what `Reauthentication.require` throws. */
  async execute(requester: Requester, id: UserId, origin: SessionOrigin = {}, proof?: ReauthenticationProof): Promise<void> {
    assertAdministers(requester.user);
    await this.reauthentication.require(requester, proof, origin);
    const target = await this.unitOfWork.run((stores) => stores.users.findById(id));
    if (!target) throw new UserNotFound();
    const removed = await this.credentialsChanged.removeSecondFactors(target, { actorId: requester.user.id, origin, reason: 'admin_reset' });
    await this.unitOfWork.run((stores) =>
      this.credentialsChanged.within(stores, target, {
        endSessions: true,
        voidLinks: [],
        notice: { kind: 'two_factor_removed', params: { reason: ' by an administrator' } },
        event: { type: 'admin.mfa_reset', actorId: requester.user.id, origin, details: { removed } },
      }),
    );
  }
}
