import {
  assertAdministers,
  assertKeepsASuperuser,
  Email,
  MAILBOX_PROOF_PURPOSES,
  UserNotFound,
  Username,
  type PasswordPolicy,
  type SessionOrigin,
  type User,
  type UserId,
} from '../../domain/index.js';
import type { CredentialsChanged } from '../core/credentials-changed.js';
import type { Reauthentication, ReauthenticationProof, Requester } from '../core/reauthentication.js';
import type { Clock } from '../ports/clock.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { AuditTrail } from '../core/audit-trail.js';

export interface UpdateUserInput {
  readonly email?: string | undefined;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly isActive?: boolean | undefined;
  readonly isVerified?: boolean | undefined;
  readonly isSuperuser?: boolean | undefined;
}

/**
 * A superuser changes any account. Deactivating it or setting its password ends its sessions at once (the
 * password through the token version, as a user's own change does); a new email or password voids every
 * outstanding verification and reset link, as the user's own change does; the last active superuser cannot stop
 * being one. The change, its consequences and its audit event commit together.
 */
export class UpdateUser {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
    private readonly reauthentication: Reauthentication,
    private readonly credentialsChanged: CredentialsChanged,
  ) {}

  /**
   * A sensitive action: the superuser's fresh session or `proof` (`Reauthentication.require`). Throws `NotASuperuser`, `UserNotFound`, `InvalidEmail`, `InvalidUsername`, `WeakPassword`, `EmailTaken`,
   * `UsernameTaken`, `LastSuperuser`, or what `Reauthentication.require` throws.
   */
  async execute(requester: Requester, id: UserId, input: UpdateUserInput, origin: SessionOrigin = {}, proof?: ReauthenticationProof): Promise<User> {
    const actor = requester.user;
    assertAdministers(actor);
    await this.reauthentication.require(requester, proof, origin);
    const email = input.email === undefined ? undefined : Email.parse(input.email);
    const username = input.username === undefined ? undefined : Username.parse(input.username);
    let passwordHash: string | undefined;
    if (input.password !== undefined) {
      const target = await this.unitOfWork.run((stores) => stores.users.findById(id));
      if (!target) throw new UserNotFound();
      // Checked against the names the account will have, as at registration; hashed outside any transaction.
      const password = this.policy.check(input.password, { username: (username ?? target.username).value, email: (email ?? target.email).value });
      passwordHash = await this.hasher.hash(password);
    }
    const now = this.clock.now();
    return this.unitOfWork.run(async (stores) => {
      let before: User | undefined;
      const after = await stores.users.updateWith(id, (user, othersWhoAdminister) => {
        before = user;
        let next = user;
        if (email) next = next.withEmail(email, now);
        if (username) next = next.withUsername(username, now);
        if (passwordHash !== undefined) next = next.withPassword(passwordHash, now);
        if (input.isActive !== undefined) next = next.withActive(input.isActive, now);
        if (input.isVerified !== undefined) next = next.withVerified(input.isVerified, now);
        if (input.isSuperuser !== undefined) next = next.withSuperuser(input.isSuperuser, now);
        assertKeepsASuperuser(user, next, othersWhoAdminister);
        return next;
      });
      if (!after || !before) throw new UserNotFound();
      const linksProveOldCredentials = !after.email.equals(before.email) || after.passwordHash !== before.passwordHash;
      await this.credentialsChanged.within(stores, after, {
        endSessions: !after.isActive || after.tokenVersion !== before.tokenVersion,
        voidLinks: linksProveOldCredentials ? MAILBOX_PROOF_PURPOSES : [],
      });
      const fields = changedFields(before, after);
      if (fields.length > 0) {
        const details = { fields, is_active: after.isActive, is_superuser: after.isSuperuser };
        await this.audit.recordIn(stores.audit, 'admin.user_updated', { userId: id, actorId: actor.id, origin, details });
      }
      return after;
    });
  }
}

/** Names only: the values of a password (or its hash) never reach the trail. */
function changedFields(before: User, after: User): string[] {
  const fields: string[] = [];
  if (!before.email.equals(after.email)) fields.push('email');
  if (before.username.value !== after.username.value) fields.push('username');
  if (before.passwordHash !== after.passwordHash) fields.push('password');
  if (before.isActive !== after.isActive) fields.push('is_active');
  if (before.isVerified !== after.isVerified) fields.push('is_verified');
  if (before.isSuperuser !== after.isSuperuser) fields.push('is_superuser');
  return fields;
}
