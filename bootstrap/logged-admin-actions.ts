import type { Logger } from 'pino';
import type { AuditObserver } from '../application/index.js';
import type { AuditEvent } from '../domain/index.js';

/** Writes every administrator's action to the service log too, with who did it, for the operators' log search. */
export class LoggedAdminActions implements AuditObserver {
  constructor(private readonly logger: Pick<Logger, 'info'>) {}

  recorded(event: AuditEvent): void {
    if (!event.type.startsWith('admin.')) return;
    this.logger.info(
      { audit: { id: event.id, type: event.type, userId: event.userId, actorId: event.actorId, ip: event.ip, details: event.details } },
      // A null actor is the operator at the command line (npm run users), who holds the database rather than a token.
      `${event.type} of ${event.userId ?? 'nobody'} by ${event.actorId ?? 'the command line'}`,
    );
  }
}
