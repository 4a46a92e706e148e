import { Counter, type Registry } from 'prom-client';
import type { AuditFilter, AuditLog, AuditPageQuery } from '../../application/ports/audit-log.js';
import { AUDIT_EVENT_TYPES, type AuditEvent } from '../../domain/index.js';

/**
 * Counts the security events recorded, by type (`audit_events_total{type}`), around the log that stores them: a
 * burst of `login.failed` or any `refresh.reuse_detected` is worth an alert, and neither shows in request metrics.
 */
export class PrometheusAuditLog implements AuditLog {
  readonly #recorded: Counter<'type'>;

  constructor(
    private readonly inner: AuditLog,
    registry: Registry,
  ) {
    this.#recorded = new Counter({
      name: 'audit_events_total',
      help: 'Security events recorded in the audit log, by type',
      labelNames: ['type'] as const,
      registers: [registry],
    });
    // Every type from zero: `increase()` cannot see the first event of a series that did not exist before it.
    for (const type of AUDIT_EVENT_TYPES) this.#recorded.labels({ type }).inc(0);
  }

  async record(event: AuditEvent): Promise<void> {
    await this.inner.record(event);
    // Counted once stored: an event the store refused was not recorded.
    this.#recorded.inc({ type: event.type });
  }

  list(filter: AuditFilter, page: AuditPageQuery): Promise<AuditEvent[]> {
    return this.inner.list(filter, page);
  }

  purgeBefore(before: Date, batchSize: number): Promise<number> {
    return this.inner.purgeBefore(before, batchSize);
  }
}
