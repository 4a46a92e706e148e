import type { OneTimeToken, OneTimeTokenPurpose, UserId } from '../../domain/index.js';
import type { OneTimeTokenStore } from '../../application/ports/one-time-token-store.js';
import type { Snapshottable } from './snapshottable.js';

interface Entry {
  readonly token: OneTimeToken;
  /** When it was used or voided. */
  readonly endedAt: Date | undefined;
}

/** One-time tokens in a map. No method awaits between its read and its write, so each is atomic on the event loop. */
export class InMemoryOneTimeTokenStore implements OneTimeTokenStore, Snapshottable {
  #byHash = new Map<string, Entry>();

  async add(token: OneTimeToken): Promise<void> {
    if (this.#byHash.has(token.hash)) throw new Error('duplicate one-time token');
    this.#byHash.set(token.hash, { token, endedAt: undefined });
  }

  async find(hash: string, purposes: readonly OneTimeTokenPurpose[], now: Date): Promise<OneTimeToken | undefined> {
    const entry = this.#byHash.get(hash);
    return entry && usable(entry, purposes, now) ? entry.token : undefined;
  }

  async consume(hash: string, purposes: readonly OneTimeTokenPurpose[], now: Date): Promise<OneTimeToken | undefined> {
    const entry = this.#byHash.get(hash);
    if (!entry || !usable(entry, purposes, now)) return undefined;
    this.#byHash.set(hash, { ...entry, endedAt: now });
    return entry.token;
  }

  async voidAll(userId: UserId, purposes: readonly OneTimeTokenPurpose[], now: Date): Promise<number> {
    let count = 0;
    for (const [hash, entry] of this.#byHash) {
      if (entry.token.userId === userId && usable(entry, purposes, now)) {
        this.#byHash.set(hash, { ...entry, endedAt: now });
        count += 1;
      }
    }
    return count;
  }

  async purgeEnded(before: Date, limit: number): Promise<number> {
    let count = 0;
    for (const [hash, entry] of this.#byHash) {
      if (count >= limit) break;
      if (entry.token.expiresAt < before || (entry.endedAt !== undefined && entry.endedAt < before)) {
        this.#byHash.delete(hash);
        count += 1;
      }
    }
    return count;
  }

  snapshot(): () => void {
    const saved = new Map(this.#byHash);
    return () => {
      this.#byHash = saved;
    };
  }
}

function usable(entry: Entry, purposes: readonly OneTimeTokenPurpose[], now: Date): boolean {
  return entry.endedAt === undefined && entry.token.expiresAt > now && purposes.includes(entry.token.purpose);
}
