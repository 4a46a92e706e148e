import type { HousekeepingJob } from '../ports/housekeeping-job.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';

/** Forgets security history older than the retention (AUDIT_RETENTION_DAYS). A housekeeping job. */
export class PurgeAuditEvents implements HousekeepingJob {
  readonly name = 'audit-events';

  constructor(
    private readonly log: AuditLog,
    private readonly clock: Clock,
    private readonly retentionMs: number,
  ) {}

  runBatch(limit: number): Promise<number> {
    return this.log.purgeBefore(new Date(this.clock.now().getTime() - this.retentionMs), limit);
  }
}
