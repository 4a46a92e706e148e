import { assertAdministers, type AuditEvent, type AuditEventType, type User, type UserId } from '../../domain/index.js';
import type { AuditLog } from '../ports/audit-log.js';
import { keysetPage, type Page, type PageRequest } from '../core/pages.js';

export interface ListAuditEventsInput extends PageRequest {
  readonly userId?: UserId | undefined;
  readonly type?: AuditEventType | undefined;
}

/** Superusers read everyone's security history, newest first, by user and by type. */
export class ListAuditEvents {
  constructor(private readonly log: AuditLog) {}

  /** Throws `NotASuperuser` or `InvalidCursor`. */
  async execute(actor: User, input: ListAuditEventsInput): Promise<Page<AuditEvent>> {
    assertAdministers(actor);
    const filter = { userId: input.userId, type: input.type };
    return keysetPage(`events:${filter.userId ?? ''}:${filter.type ?? ''}`, input, (before, limit) => this.log.list(filter, { before, limit }));
  }
}

