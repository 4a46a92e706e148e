import type { AuditEvent, User } from '../../domain/index.js';
import type { AuditLog } from '../ports/audit-log.js';
import { keysetPage, type Page, type PageRequest } from '../core/pages.js';

/** Every user reads their own security history: log-ins with address and agent, changes, sessions ended. */
export class ListMyEvents {
  constructor(private readonly log: AuditLog) {}

  /** Throws `InvalidCursor`. */
  async execute(user: User, input: PageRequest): Promise<Page<AuditEvent>> {
    return keysetPage(`my-events:${user.id}`, input, (before, limit) => this.log.list({ userId: user.id }, { before, limit }));
  }
}
