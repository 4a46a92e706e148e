import type { Clock } from '../ports/clock.js';
import type { WebAuthnChallengeStore } from './web-authn-challenge-store.js';

const BATCH = 1_000;

/**
 * Forgets WebAuthn challenges past their 5 minutes: every options request leaves one, and most log-in pages ask for
 * options they never use (autofill). In batches, so a large backlog never holds one long statement.
 */
export class PurgeExpiredWebAuthnChallenges {
  constructor(
    private readonly challenges: WebAuthnChallengeStore,
    private readonly clock: Clock,
    private readonly batchSize = BATCH,
  ) {}

  async execute(): Promise<number> {
    const before = this.clock.now();
    let total = 0;
    for (;;) {
      const purged = await this.challenges.purgeExpired(before, this.batchSize);
      total += purged;
      if (purged < this.batchSize) return total;
    }
  }
}
