import type { AuditLog } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';

export interface AuditRetention {
  readonly retentionMs: number;
  /** Rows a statement deletes at most, so a backlog never holds a long lock. */
  readonly batchSize: number;
}

/** Forgets security history older than the retention (AUDIT_RETENTION_DAYS), batch by batch. */
export class PurgeAuditEvents {
  constructor(
    private readonly log: AuditLog,
    private readonly clock: Clock,
    private readonly retention: AuditRetention,
  ) {}

  /** Returns how many events went. */
  async execute(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - this.retention.retentionMs);
    let total = 0;
    for (;;) {
      const purged = await this.log.purgeBefore(before, this.retention.batchSize);
      total += purged;
      if (purged < this.retention.batchSize) return total;
    }
  }
}
