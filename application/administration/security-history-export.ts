import type { AuditEvent, User } from '../../domain/index.js';
import type { ExportSection } from '../ports/export-section.js';
import type { AuditLog } from '../ports/audit-log.js';

/** Pages of the history read at a time; the retention purge keeps the whole bounded. */
const PAGE = 500;

/** Every event about the user still kept (AUDIT_RETENTION_DAYS), newest first; events carry no secrets. */
export class SecurityHistoryExport implements ExportSection {
  readonly name = 'security_history';

  constructor(private readonly log: AuditLog) {}

  async collect(user: User): Promise<unknown> {
    const events: AuditEvent[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await this.log.list({ userId: user.id }, { limit: PAGE, before });
      events.push(...page);
      if (page.length < PAGE) break;
      before = page.at(-1)!.id;
    }
    return events.map((event) => ({
      id: event.id,
      type: event.type,
      at: event.at.toISOString(),
      actor_id: event.actorId,
      ip: event.ip,
      user_agent: event.userAgent,
      details: event.details,
    }));
  }
}
