import type { AuditEvent, AuditEventType, UserId } from '../../domain/index.js';

export interface AuditFilter {
  readonly userId?: UserId | undefined;
  readonly type?: AuditEventType | undefined;
}

export interface AuditPageQuery {
  readonly limit: number;
  /** Keyset pagination, newest first: only events whose id sorts before this one. */
  readonly before?: string | undefined;
}

/** The security history. Append-only but for the retention purge; events carry no secrets (see `AuditEvent`). */
export interface AuditLog {
  record(event: AuditEvent): Promise<void>;
  /** Newest first, at most `limit`. */
  list(filter: AuditFilter, page: AuditPageQuery): Promise<AuditEvent[]>;
  /** Deletes at most `batchSize` of the events that happened before `before`; returns how many went. */
  purgeBefore(before: Date, batchSize: number): Promise<number>;
}

/**
 * Told of every event once it is written (metrics, the service log). Inside a unit of work that is before the
 * commit: an event rolled back afterwards has still been counted, which only ever overstates.
 */
export interface AuditObserver {
  recorded(event: AuditEvent): void;
}
