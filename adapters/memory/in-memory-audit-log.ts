import type { AuditEvent } from '../../domain/index.js';
import type { AuditFilter, AuditLog, AuditPageQuery } from '../../application/ports/audit-log.js';
import type { Snapshottable } from './snapshottable.js';

/** The security history in an array: for tests, embedding, and `DATABASE_URL=memory`. */
export class InMemoryAuditLog implements AuditLog, Snapshottable {
  readonly #events: AuditEvent[] = [];

  async record(event: AuditEvent): Promise<void> {
    this.#events.push(event);
  }

  async list(filter: AuditFilter, page: AuditPageQuery): Promise<AuditEvent[]> {
    return this.#events
      .filter((event) => filter.userId === undefined || event.userId === filter.userId)
      .filter((event) => filter.type === undefined || event.type === filter.type)
      .filter((event) => page.before === undefined || event.id < page.before)
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .slice(0, page.limit);
  }

  snapshot(): () => void {
    const saved = [...this.#events];
    return () => this.#events.splice(0, this.#events.length, ...saved);
  }

  async purgeBefore(before: Date, batchSize: number): Promise<number> {
    const due = this.#events.filter((event) => event.at < before).slice(0, batchSize);
    for (const event of due) this.#events.splice(this.#events.indexOf(event), 1);
    return due.length;
  }
}
