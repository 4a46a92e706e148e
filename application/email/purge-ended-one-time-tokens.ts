import type { HousekeepingJob } from '../ports/housekeeping-job.js';
import type { Clock } from '../ports/clock.js';
import type { OneTimeTokenStore } from '../ports/one-time-token-store.js';

/** A day's margin: a link followed just after it ended still finds its row, and answers "used" rather than "unknown". */
const KEEP_ENDED_MS = 86_400_000;

/** Deletes mailed tokens that expired, were used or were voided more than a day ago. A housekeeping job. */
export class PurgeEndedOneTimeTokens implements HousekeepingJob {
  readonly name = 'one-time-tokens';

  constructor(
    private readonly tokens: OneTimeTokenStore,
    private readonly clock: Clock,
  ) {}

  runBatch(limit: number): Promise<number> {
    return this.tokens.purgeEnded(new Date(this.clock.now().getTime() - KEEP_ENDED_MS), limit);
  }
}
