import type { MfaChallengeStore } from '../../application/ports/mfa-challenge-store.js';
import { MfaChallenge } from '../../domain/index.js';

/** Pending second steps in a map: one process only, which is all `DATABASE_URL=memory` promises. */
export class InMemoryMfaChallengeStore implements MfaChallengeStore {
  readonly #challenges = new Map<string, MfaChallenge>();

  async add(challenge: MfaChallenge): Promise<void> {
    this.#challenges.set(challenge.tokenHash, challenge);
  }

  async attempt(tokenHash: string): Promise<MfaChallenge | undefined> {
    const challenge = this.#challenges.get(tokenHash);
    if (!challenge) return undefined;
    const counted = new MfaChallenge({ ...challenge, attempts: challenge.attempts + 1 });
    this.#challenges.set(tokenHash, counted);
    return counted;
  }

  async consume(tokenHash: string): Promise<MfaChallenge | undefined> {
    const challenge = this.#challenges.get(tokenHash);
    this.#challenges.delete(tokenHash);
    return challenge;
  }

  async purgeExpired(before: Date, limit: number): Promise<number> {
    let count = 0;
    for (const [hash, challenge] of this.#challenges) {
      if (count >= limit) break;
      if (challenge.expiresAt < before) {
        this.#challenges.delete(hash);
        count += 1;
      }
    }
    return count;
  }
}
