import type { PasskeyRepository } from '../../application/passkeys/passkey-repository.js';
import { Passkey, type PasskeyUseDecision, type UserId } from '../../domain/index.js';
import type { InMemoryUserRepository } from './in-memory-user-repository.js';

/**
 * Passkeys in a map by credential id. Each method runs without awaiting between its read and its write, which keeps
 * `recordUse`'s read-decide-write atomic on the event loop. A deleted user's passkeys are gone, as the database's
 * cascade makes them.
 */
export class InMemoryPasskeyRepository implements PasskeyRepository {
  readonly #passkeys = new Map<string, Passkey>();

  constructor(private readonly users: InMemoryUserRepository) {}

  /** The passkey under this id, unless its user was deleted meanwhile (then it is forgotten). */
  #get(credentialId: string): Passkey | undefined {
    const passkey = this.#passkeys.get(credentialId);
    if (passkey && !this.users.isRegistered(passkey.userId)) {
      this.#passkeys.delete(credentialId);
      return undefined;
    }
    return passkey;
  }

  async add(passkey: Passkey): Promise<boolean> {
    if (this.#get(passkey.credentialId)) return false;
    this.#passkeys.set(passkey.credentialId, copy(passkey));
    return true;
  }

  async listByUser(userId: UserId): Promise<Passkey[]> {
    return [...this.#passkeys.values()]
      .filter((p) => p.userId === userId && this.users.isRegistered(userId))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.credentialId.localeCompare(b.credentialId))
      .map(copy);
  }

  async findByCredentialId(credentialId: string): Promise<Passkey | undefined> {
    const passkey = this.#get(credentialId);
    return passkey && copy(passkey);
  }

  async rename(userId: UserId, credentialId: string, name: string): Promise<Passkey | undefined> {
    const passkey = this.#get(credentialId);
    if (passkey?.userId !== userId) return undefined;
    const renamed = passkey.renamed(name);
    this.#passkeys.set(credentialId, renamed);
    return copy(renamed);
  }

  async remove(userId: UserId, credentialId: string): Promise<boolean> {
    if (this.#get(credentialId)?.userId !== userId) return false;
    return this.#passkeys.delete(credentialId);
  }

  async removeAllOf(userId: UserId): Promise<number> {
    let count = 0;
    for (const [id, passkey] of this.#passkeys) {
      if (passkey.userId === userId) {
        this.#passkeys.delete(id);
        count += 1;
      }
    }
    return count;
  }

  async recordUse(credentialId: string, decide: (current: Passkey) => PasskeyUseDecision): Promise<PasskeyUseDecision | undefined> {
    const current = this.#get(credentialId);
    if (!current) return undefined;
    const decision = decide(copy(current));
    if (decision.outcome === 'accept') {
      const saved = decision.passkey;
      // Only what a use may change is saved: a decision cannot move a passkey to another user or rename it.
      this.#passkeys.set(credentialId, new Passkey({ ...current, counter: saved.counter, backedUp: saved.backedUp, lastUsedAt: saved.lastUsedAt }));
    }
    return decision;
  }
}

// Callers get their own copy: a key's bytes changed by one must not change the stored one.
function copy(passkey: Passkey): Passkey {
  return new Passkey({ ...passkey, publicKey: Uint8Array.from(passkey.publicKey) });
}
