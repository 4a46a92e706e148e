import type { Clock } from '../ports/clock.js';
import type { HousekeepingJob } from '../ports/housekeeping-job.js';
import type { WebAuthnChallengeStore } from './web-authn-challenge-store.js';

/**
 * Forgets WebAuthn challenges past their 5 minutes: every options request leaves one, and a log-in page asks for
 * options it may never use (autofill). An expired one is refused anyway, so this only keeps the store small. A
 * housekeeping job: the round deletes in bounded batches until nothing is due.
 */
export class PurgeExpiredWebAuthnChallenges implements HousekeepingJob {
  readonly name = 'webauthn-challenges';

  constructor(
    private readonly challenges: WebAuthnChallengeStore,
    private readonly clock: Clock,
  ) {}

  runBatch(limit: number): Promise<number> {
    return this.challenges.purgeExpired(this.clock.now(), limit);
  }
}
