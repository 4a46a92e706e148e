import { randomUUID } from 'node:crypto';
import type { ExpressionBuilder, Kysely, Selectable, UpdateObject } from 'kysely';
import { isUuid } from '../../domain/index.js';
import type {
  ClaimedWebhookDelivery,
  NewWebhookDelivery,
  WebhookDeliveryQueue,
  WebhookDeliverySummary,
} from '../../application/webhooks/webhook-delivery-queue.js';
import type { Database, WebhookDeliveriesTable } from './database.js';
import { withTranslatedErrors } from './database-errors.js';

/** A receiver's error text is kept for operators, bounded. */
const ERROR_MAX_CHARS = 500;

/** The webhook queue in PostgreSQL or PGlite, with the outbox's leasing (see `KyselyMailOutbox`). */
export class KyselyWebhookDeliveryQueue implements WebhookDeliveryQueue {
  constructor(private readonly db: Kysely<Database>) {}

  async enqueue(deliveries: readonly NewWebhookDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await withTranslatedErrors(
      this.db
        .insertInto('webhook_deliveries')
        .values(
          deliveries.map((d) => ({
            id: d.id,
            endpoint_id: d.endpointId,
            event_id: d.eventId,
            type: d.type,
            payload: d.payload,
            status: 'pending' as const,
            attempts: 0,
            uncertain_attempts: 0,
            last_response_code: null,
            last_error: null,
            next_attempt_at: d.createdAt,
            lease_id: null,
            deadline: d.deadline,
            created_at: d.createdAt,
            settled_at: null,
          })),
        )
        .execute(),
    );
  }

  /** One statement, rows locked with SKIP LOCKED: two workers claiming at once take different deliveries. */
  async claimDue(now: Date, leaseMs: number, limit: number): Promise<ClaimedWebhookDelivery[]> {
    const leaseId = randomUUID();
    const rows = await withTranslatedErrors(
      this.db
        .updateTable('webhook_deliveries')
        .set((eb) => ({ lease_id: leaseId, next_attempt_at: new Date(now.getTime() + leaseMs), attempts: eb('attempts', '+', 1) }))
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('webhook_deliveries')
            .select('id')
            .where('status', '=', 'pending')
            .where('next_attempt_at', '<=', now)
            .orderBy('next_attempt_at')
            .limit(limit)
            .forUpdate()
            .skipLocked(),
        )
        .returningAll()
        .execute(),
    );
    return rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : 1)).map(toClaimed);
  }

  async renewLease(leaseId: string, until: Date): Promise<number> {
    if (!isUuid(leaseId)) return 0;
    const result = await withTranslatedErrors(
      this.db.updateTable('webhook_deliveries').set({ next_attempt_at: until }).where('lease_id', '=', leaseId).where('status', '=', 'pending').executeTakeFirst(),
    );
    return Number(result.numUpdatedRows);
  }

  async release(leaseId: string, ids: readonly string[], now: Date): Promise<number> {
    const valid = ids.filter(isUuid);
    if (!isUuid(leaseId) || valid.length === 0) return 0;
    const result = await withTranslatedErrors(
      this.db
        .updateTable('webhook_deliveries')
        .set((eb) => ({ lease_id: null, next_attempt_at: now, attempts: eb('attempts', '-', 1) }))
        .where('id', 'in', valid)
        .where('lease_id', '=', leaseId)
        .where('status', '=', 'pending')
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows);
  }

  markDone(id: string, leaseId: string, now: Date): Promise<boolean> {
    return this.#settle(id, leaseId, { status: 'delivered', settled_at: now, lease_id: null, last_error: null });
  }

  markRetry(id: string, leaseId: string, nextAttemptAt: Date, error: string, uncertain = false): Promise<boolean> {
    return this.#settle(id, leaseId, (eb: ExpressionBuilder<Database, 'webhook_deliveries'>) => ({
      next_attempt_at: nextAttemptAt,
      last_error: error.slice(0, ERROR_MAX_CHARS),
      lease_id: null,
      ...(uncertain ? { uncertain_attempts: eb('uncertain_attempts', '+', 1) } : {}),
    }));
  }

  markFailed(id: string, leaseId: string, now: Date, error: string): Promise<boolean> {
    return this.#settle(id, leaseId, { status: 'failed', settled_at: now, last_error: error.slice(0, ERROR_MAX_CHARS), lease_id: null });
  }

  recordResponse(id: string, leaseId: string, status: number | null): Promise<boolean> {
    return this.#settle(id, leaseId, { last_response_code: status });
  }

  async listForEndpoint(endpointId: string, before: string | undefined, limit: number): Promise<WebhookDeliverySummary[]> {
    if (!isUuid(endpointId)) return [];
    let query = this.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId);
    if (before !== undefined) query = query.where('id', '<', before);
    const rows = await withTranslatedErrors(query.orderBy('id', 'desc').limit(limit).execute());
    return rows.map(toSummary);
  }

  async purgeSettled(before: Date, limit: number): Promise<number> {
    const result = await withTranslatedErrors(
      this.db
        .deleteFrom('webhook_deliveries')
        .where('id', 'in', (eb) => eb.selectFrom('webhook_deliveries').select('id').where('status', '<>', 'pending').where('created_at', '<', before).limit(limit))
        .executeTakeFirst(),
    );
    return Number(result.numDeletedRows);
  }

  async pendingCount(): Promise<number> {
    const row = await withTranslatedErrors(
      this.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<string>().as('count')).where('status', '=', 'pending').executeTakeFirstOrThrow(),
    );
    return Number(row.count);
  }

  async #settle(
    id: string,
    leaseId: string,
    changes: UpdateObject<Database, 'webhook_deliveries'> | ((eb: ExpressionBuilder<Database, 'webhook_deliveries'>) => UpdateObject<Database, 'webhook_deliveries'>),
  ): Promise<boolean> {
    if (!isUuid(id) || !isUuid(leaseId)) return false;
    const result = await withTranslatedErrors(
      this.db.updateTable('webhook_deliveries').set(changes).where('id', '=', id).where('lease_id', '=', leaseId).where('status', '=', 'pending').executeTakeFirst(),
    );
    return result.numUpdatedRows > 0n;
  }
}

function toClaimed(row: Selectable<WebhookDeliveriesTable>): ClaimedWebhookDelivery {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    type: row.type,
    payload: row.payload,
    createdAt: row.created_at,
    deadline: row.deadline,
    leaseId: row.lease_id!,
    // The claim counted this attempt; the port reports those before it.
    attempts: row.attempts - 1,
    uncertainAttempts: row.uncertain_attempts,
  };
}

function toSummary(row: Selectable<WebhookDeliveriesTable>): WebhookDeliverySummary {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    type: row.type,
    status: row.status,
    attempts: row.attempts,
    lastResponseCode: row.last_response_code ?? undefined,
    lastError: row.last_error ?? undefined,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : undefined,
    createdAt: row.created_at,
  };
}
