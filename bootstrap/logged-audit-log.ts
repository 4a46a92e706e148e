import type { Logger } from 'pino';
import type { AuditEvent, AuditFilter, AuditLog, AuditPageQuery } from '../application/index.js';

/**
 * Writes every administrator's action (`admin.*`) to the service log as well as the audit log, with the actor's
 * id: operators watch logs, and an account changed by someone else is what they must be able to trace there.
 * Other events stay in the audit log only; failed log-ins would flood the service log.
 */
export class LoggedAuditLog implements AuditLog {
  constructor(
    private readonly inner: AuditLog,
    private readonly logger: Pick<Logger, 'info'>,
  ) {}

  async record(event: AuditEvent): Promise<void> {
    await this.inner.record(event);
    if (!event.type.startsWith('admin.')) return;
    this.logger.info(
      { audit: { id: event.id, type: event.type, userId: event.userId, actorId: event.actorId, ip: event.ip, details: event.details } },
      // A null actor is the operator at the command line (npm run users), who holds the database rather than a token.
      `${event.type} of ${event.userId ?? 'nobody'} by ${event.actorId ?? 'the command line'}`,
    );
  }

  list(filter: AuditFilter, page: AuditPageQuery): Promise<AuditEvent[]> {
    return this.inner.list(filter, page);
  }

  purgeBefore(before: Date, batchSize: number): Promise<number> {
    return this.inner.purgeBefore(before, batchSize);
  }
}
