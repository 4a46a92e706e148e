import type { PasskeyRepository } from '../../application/passkeys/passkey-repository.js';
import { Passkey, type PasskeyUseDecision, type UserId } from '../../domain/index.js';

/**
 * Passkeys in a map by credential id. Each method runs without awaiting between its read and its write, which keeps
 * `recordUse`'s read-decide-write atomic on the event loop.
 */
export class InMemoryPasskeyRepository implements PasskeyRepository {
  readonly #passkeys = new Map<string, Passkey>();

  async add(passkey: Passkey): Promise<boolean> {
    if (this.#passkeys.has(passkey.credentialId)) return false;
    this.#passkeys.set(passkey.credentialId, copy(passkey));
    return true;
  }

  async listByUser(userId: UserId): Promise<Passkey[]> {
    return [...this.#passkeys.values()]
      .filter((p) => p.userId === userId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.credentialId.localeCompare(b.credentialId))
      .map(copy);
  }

  async findByCredentialId(credentialId: string): Promise<Passkey | undefined> {
    const passkey = this.#passkeys.get(credentialId);
    return passkey && copy(passkey);
  }

  async rename(userId: UserId, credentialId: string, name: string): Promise<Passkey | undefined> {
    const passkey = this.#passkeys.get(credentialId);
    if (passkey?.userId !== userId) return undefined;
    const renamed = passkey.renamed(name);
    this.#passkeys.set(credentialId, renamed);
    return copy(renamed);
  }

  async remove(userId: UserId, credentialId: string): Promise<boolean> {
    if (this.#passkeys.get(credentialId)?.userId !== userId) return false;
    return this.#passkeys.delete(credentialId);
  }

  async recordUse(credentialId: string, decide: (current: Passkey) => PasskeyUseDecision): Promise<PasskeyUseDecision | undefined> {
    const current = this.#passkeys.get(credentialId);
    if (!current) return undefined;
    const decision = decide(copy(current));
    if (decision.outcome === 'accept') {
      const saved = decision.passkey;
      // Only what a use may change is saved: a decision cannot move a passkey to another user or rename it.
      this.#passkeys.set(credentialId, new Passkey({ ...current, counter: saved.counter, backedUp: saved.backedUp, lastUsedAt: saved.lastUsedAt }));
    }
    return decision;
  }

  /** Forgets a user's passkeys, as the database's cascade does when the user row goes. */
  removeAllOf(userId: UserId): void {
    for (const [id, passkey] of this.#passkeys) if (passkey.userId === userId) this.#passkeys.delete(id);
  }
}

// Callers get their own copy: a key's bytes changed by one must not change the stored one.
function copy(passkey: Passkey): Passkey {
  return new Passkey({ ...passkey, publicKey: Uint8Array.from(passkey.publicKey) });
}
