import type { WebAuthnChallengeStore } from '../../application/passkeys/web-authn-challenge-store.js';
import type { WebAuthnChallenge } from '../../domain/index.js';

/** Pending WebAuthn challenges in a map: one process only, which is all `DATABASE_URL=memory` promises. */
export class InMemoryWebAuthnChallengeStore implements WebAuthnChallengeStore {
  readonly #challenges = new Map<string, WebAuthnChallenge>();

  async issue(challenge: WebAuthnChallenge): Promise<void> {
    this.#challenges.set(challenge.challenge, challenge);
  }

  async consume(challenge: string): Promise<WebAuthnChallenge | undefined> {
    const found = this.#challenges.get(challenge);
    this.#challenges.delete(challenge);
    return found;
  }

  async purgeExpired(before: Date, limit: number): Promise<number> {
    let count = 0;
    for (const [key, challenge] of this.#challenges) {
      if (count >= limit) break;
      if (challenge.expiresAt < before) {
        this.#challenges.delete(key);
        count += 1;
      }
    }
    return count;
  }
}
