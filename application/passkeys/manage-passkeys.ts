import { PasskeyNotFound, type Passkey, type SessionOrigin, type UserId } from '../../domain/index.js';
import type { FreshAuthenticationCheck, PasskeyActor } from './fresh-authentication.js';
import type { PasskeyNotices } from './passkey-notices.js';
import type { PasskeyRepository } from './passkey-repository.js';

/** The user's own passkeys, oldest first. */
export class ListPasskeys {
  constructor(private readonly passkeys: PasskeyRepository) {}

  execute(userId: UserId): Promise<Passkey[]> {
    return this.passkeys.listByUser(userId);
  }
}

/** A new name for one of the user's passkeys; not sensitive (it changes no way into the account). */
export class RenamePasskey {
  constructor(private readonly passkeys: PasskeyRepository) {}

  /** Throws `PasskeyNotFound`, also for another user's passkey. */
  async execute(userId: UserId, credentialId: string, name: string): Promise<Passkey> {
    const renamed = await this.passkeys.rename(userId, credentialId, name);
    if (!renamed) throw new PasskeyNotFound();
    return renamed;
  }
}

/** Removes one of the user's passkeys: a sensitive action, recorded and mailed to the owner. */
export class RemovePasskey {
  constructor(
    private readonly passkeys: PasskeyRepository,
    private readonly fresh: FreshAuthenticationCheck,
    private readonly notices: PasskeyNotices,
  ) {}

  /** Throws `PasskeyNotFound` (also for another user's passkey) or `FreshAuthenticationRequired`. */
  async execute(actor: PasskeyActor, credentialId: string, origin: SessionOrigin): Promise<void> {
    await this.fresh.require(actor);
    const passkey = await this.passkeys.findByCredentialId(credentialId);
    if (!passkey || passkey.userId !== actor.user.id || !(await this.passkeys.remove(actor.user.id, credentialId))) throw new PasskeyNotFound();
    await this.notices.removed(actor.user, passkey, origin);
  }
}
