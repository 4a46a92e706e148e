import type { HousekeepingJob } from '../ports/housekeeping-job.js';
import type { Clock } from '../ports/clock.js';
import type { MailOutbox } from '../ports/mail-outbox.js';

/**
 * Forgets sent and failed mail (envelopes only: body and token were erased when it settled) queued more than
 * MAIL_RETENTION_DAYS ago. Pending mail is never touched. A housekeeping job.
 */
export class PurgeSettledMail implements HousekeepingJob {
  readonly name = 'mail-outbox';

  constructor(
    private readonly outbox: MailOutbox,
    private readonly clock: Clock,
    private readonly retentionMs: number,
  ) {}

  runBatch(limit: number): Promise<number> {
    return this.outbox.purgeSettled(new Date(this.clock.now().getTime() - this.retentionMs), limit);
  }
}
