import type { HousekeepingJob } from '../ports/housekeeping-job.js';
import type { Clock } from '../ports/clock.js';
import type { MfaChallengeStore } from '../ports/mfa-challenge-store.js';

/**
 * Forgets `mfa_token`s past their 5 minutes that nobody finished: a password step that was never followed by a
 * code leaves one behind. An expired one is refused anyway, so this only keeps the store small. A housekeeping job.
 */
export class PurgeExpiredMfaChallenges implements HousekeepingJob {
  readonly name = 'mfa-challenges';

  constructor(
    private readonly challenges: MfaChallengeStore,
    private readonly clock: Clock,
  ) {}

  runBatch(limit: number): Promise<number> {
    return this.challenges.purgeExpired(this.clock.now(), limit);
  }
}
