import type { HousekeepingJob } from '../ports/housekeeping-job.js';
import type { Clock } from '../ports/clock.js';
import type { SessionRepository } from '../ports/session-repository.js';

/**
 * Forgets sessions that ended (expired or revoked) more than `retentionMs` ago, and refresh tokens spent that long
 * ago, so the store does not grow with every log-in and refresh forever. Until then a replayed spent token still
 * counts as reuse. A housekeeping job: it only deletes what is already dead.
 */
export class PurgeEndedSessions implements HousekeepingJob {
  readonly name = 'sessions';

  constructor(
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
    private readonly retentionMs: number,
  ) {}

  runBatch(limit: number): Promise<number> {
    return this.sessions.purgeEnded(new Date(this.clock.now().getTime() - this.retentionMs), limit);
  }
}
