import { IP_MAX_LENGTH, newTimeOrderedId, USER_AGENT_MAX_LENGTH, type AuditDetails, type AuditEventType, type SessionOrigin, type UserId } from '../../domain/index.js';
import type { AuditLog, AuditObserver } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';

export interface AuditSubject {
  /** The account the event is about; null when no account is known (a log-in for an unknown name). */
  readonly userId: UserId | null;
  /** Who acted: the user themself unless given (an administrator, or nobody for a failed log-in). */
  readonly actorId?: UserId | null | undefined;
  readonly origin?: SessionOrigin | undefined;
  readonly details?: AuditDetails | undefined;
}

/** Writes the security history for the use cases: ids and times come from here, never from callers. */
export class AuditTrail {
  constructor(
    private readonly log: AuditLog,
    private readonly clock: Clock,
    private readonly observers: readonly AuditObserver[] = [],
  ) {}

  async record(type: AuditEventType, subject: AuditSubject): Promise<void> {
    await this.recordIn(this.log, type, subject);
  }

  /**
   * Records into the log of a unit of work (`stores.audit`), so the event commits or rolls back with the change it
   * describes: a user deleted and the event saying so cannot disagree.
   */
  async recordIn(log: AuditLog, type: AuditEventType, subject: AuditSubject): Promise<void> {
    const at = this.clock.now();
    const event = {
      id: newTimeOrderedId(at),
      type,
      at,
      userId: subject.userId,
      actorId: subject.actorId === undefined ? subject.userId : subject.actorId,
      ip: subject.origin?.ip?.slice(0, IP_MAX_LENGTH) || null,
      userAgent: subject.origin?.userAgent?.slice(0, USER_AGENT_MAX_LENGTH) || null,
      details: subject.details ?? {},
    };
    await log.record(event);
    for (const observer of this.observers) observer.recorded(event);
  }
}
