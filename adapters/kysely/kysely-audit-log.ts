import { sql, type Kysely } from 'kysely';
import { isAuditEventType, isUuid, type AuditDetails, type AuditEvent } from '../../domain/index.js';
import type { AuditFilter, AuditLog, AuditPageQuery } from '../../application/ports/audit-log.js';
import type { AuditEventRow, Database } from './database.js';
import { withTranslatedErrors } from './database-errors.js';
import { atAddresses } from './delete-batch.js';

/** The security history in PostgreSQL or PGlite. Every page and the purge walk an index (see the migration). */
export class KyselyAuditLog implements AuditLog {
  constructor(private readonly db: Kysely<Database>) {}

  async record(event: AuditEvent): Promise<void> {
    await withTranslatedErrors(
      this.db
        .insertInto('audit_events')
        .values({
          id: event.id,
          type: event.type,
          at: event.at,
          user_id: event.userId,
          actor_id: event.actorId,
          ip: event.ip,
          user_agent: event.userAgent,
          details: JSON.stringify(event.details),
        })
        .execute(),
    );
  }

  async list(filter: AuditFilter, page: AuditPageQuery): Promise<AuditEvent[]> {
    // A malformed id names no event and no user; PostgreSQL would refuse it as a uuid.
    if ((filter.userId !== undefined && !isUuid(filter.userId)) || (page.before !== undefined && !isUuid(page.before))) return [];
    let select = this.db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(page.limit);
    if (filter.userId !== undefined) select = select.where('user_id', '=', filter.userId);
    if (filter.type !== undefined) select = select.where('type', '=', filter.type);
    if (page.before !== undefined) select = select.where('id', '<', page.before);
    const rows = await withTranslatedErrors(select.execute());
    return rows.map(toEvent);
  }

  async purgeBefore(before: Date, batchSize: number): Promise<number> {
    // Bounded: one batch a call, chosen through the index on `at`, so a backlog never becomes one long lock.
    const result = await withTranslatedErrors(
      this.db
        .deleteFrom('audit_events')
        .where(atAddresses(this.db.selectFrom('audit_events').select(sql`ctid`.as('ctid')).where('at', '<', before).limit(batchSize)))
        .executeTakeFirst(),
    );
    return Number(result.numDeletedRows);
  }
}

function toEvent(row: AuditEventRow): AuditEvent {
  if (!isAuditEventType(row.type)) throw new Error(`unknown audit event type ${row.type}`);
  return {
    id: row.id,
    type: row.type,
    at: row.at,
    userId: row.user_id,
    actorId: row.actor_id,
    ip: row.ip,
    userAgent: row.user_agent,
    details: row.details as AuditDetails,
  };
}
