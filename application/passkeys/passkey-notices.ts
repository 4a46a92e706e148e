import type { Passkey, SessionOrigin, User } from '../../domain/index.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { AuditTrail } from '../core/audit-trail.js';
import type { MailQueue } from '../core/mail-queue.js';

/**
 * A passkey added or removed: recorded in the security history and mailed to the owner in one unit of work, so the
 * event and its notice cannot disagree. A passkey is a way into the account: an owner who did not add one must learn of it.
 */
export class PasskeyNotices {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditTrail,
    private readonly mail: MailQueue,
  ) {}

  added(user: User, passkey: Passkey, origin: SessionOrigin): Promise<void> {
    return this.#notify('passkey.added', 'passkey_added', user, passkey, origin);
  }

  removed(user: User, passkey: Pick<Passkey, 'credentialId' | 'name'>, origin: SessionOrigin): Promise<void> {
    return this.#notify('passkey.removed', 'passkey_removed', user, passkey, origin);
  }

  async #notify(
    type: 'passkey.added' | 'passkey.removed',
    kind: 'passkey_added' | 'passkey_removed',
    user: User,
    passkey: Pick<Passkey, 'credentialId' | 'name'>,
    origin: SessionOrigin,
  ): Promise<void> {
    await this.unitOfWork.run(async (stores) => {
      await this.audit.recordIn(stores.audit, type, { userId: user.id, origin, details: { passkey_id: passkey.credentialId, name: passkey.name } });
      await this.mail.queueNotice(stores, kind, user, user.email, { passkey_name: passkey.name });
    });
  }
}
