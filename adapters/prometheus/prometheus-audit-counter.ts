import { Counter, type Registry } from 'prom-client';
import type { AuditObserver } from '../../application/ports/audit-log.js';
import { AUDIT_EVENT_TYPES, type AuditEvent } from '../../domain/index.js';

/**
 * Counts the security events recorded, by type (`audit_events_total{type}`): a burst of `login.failed` or any
 * `refresh.reuse_detected` is worth an alert, and neither shows in request metrics.
 */
export class PrometheusAuditCounter implements AuditObserver {
  readonly #recorded: Counter<'type'>;

  constructor(registry: Registry) {
    this.#recorded = new Counter({
      name: 'audit_events_total',
      help: 'Security events recorded in the audit log, by type',
      labelNames: ['type'] as const,
      registers: [registry],
    });
    // Every type from zero: `increase()` cannot see the first event of a series that did not exist before it.
    for (const type of AUDIT_EVENT_TYPES) this.#recorded.labels({ type }).inc(0);
  }

  recorded(event: AuditEvent): void {
    this.#recorded.inc({ type: event.type });
  }
}
