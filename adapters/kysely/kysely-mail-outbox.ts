import { randomUUID } from 'node:crypto';
import { sql, type ExpressionBuilder, type Kysely, type Selectable, type UpdateObject } from 'kysely';
import { isUuid } from '../../domain/index.js';
import { MAIL_REQUEST_KINDS, type ClaimedMail, type OutboxKind, type MailOutbox, type MailParams, type NewOutboxMail, type OutboxLane } from '../../application/ports/mail-outbox.js';
import type { Database, MailOutboxTable } from './database.js';
import { withTranslatedErrors } from './database-errors.js';
import { atAddresses } from './delete-batch.js';

/** The channel a committed mail is announced on; `PostgresMailListener` listens to it. */
export const MAIL_OUTBOX_CHANNEL = 'mail_outbox';

/** Error texts are kept for operators; an SMTP server's answer can be long. */
const ERROR_MAX_CHARS = 500;

/** The outbox in PostgreSQL or PGlite. */
export class KyselyMailOutbox implements MailOutbox {
  constructor(private readonly db: Kysely<Database>) {}

  async enqueue(mail: NewOutboxMail): Promise<void> {
    await withTranslatedErrors(
      this.db
        .insertInto('mail_outbox')
        .values({
          id: mail.id,
          kind: mail.kind,
          recipient: mail.to,
          params: JSON.stringify(mail.params),
          sealed_token: mail.sealedToken ?? null,
          user_id: mail.userId ?? null,
          status: 'pending',
          attempts: 0,
          next_attempt_at: mail.createdAt,
          lease_id: null,
          deadline: mail.deadline,
          last_error: null,
          created_at: mail.createdAt,
          sent_at: null,
        })
        .execute(),
    );
    // NOTIFY is delivered when the transaction commits, and not at all when it rolls back: exactly when a
    // worker should wake. Other instances on the same PostgreSQL hear it through LISTEN.
    await withTranslatedErrors(sql`select pg_notify(${MAIL_OUTBOX_CHANNEL}, '')`.execute(this.db));
  }

  /**
   * One statement: the rows are locked with SKIP LOCKED, so two workers claiming at once take different mails
   * (neither waits for the other), and the lease is committed before anything is sent.
   */
  async claimDue(now: Date, leaseMs: number, limit: number, lane: OutboxLane = 'mail'): Promise<ClaimedMail[]> {
    const leaseId = randomUUID();
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const rows = await withTranslatedErrors(
      this.db
        .updateTable('mail_outbox')
        .set((eb) => ({ lease_id: leaseId, next_attempt_at: leaseUntil, attempts: eb('attempts', '+', 1) }))
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('mail_outbox')
            .select('id')
            .where('status', '=', 'pending')
            .where('next_attempt_at', '<=', now)
            .where('kind', lane === 'requests' ? 'in' : 'not in', MAIL_REQUEST_KINDS)
            .orderBy('next_attempt_at')
            .limit(limit)
            .forUpdate()
            .skipLocked(),
        )
        .returningAll()
        .execute(),
    );
    return rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime()).map(toClaimed);
  }

  async renewLease(leaseId: string, until: Date): Promise<number> {
    if (!isUuid(leaseId)) return 0;
    const result = await withTranslatedErrors(
      this.db
        .updateTable('mail_outbox')
        .set({ next_attempt_at: until })
        .where('lease_id', '=', leaseId)
        .where('status', '=', 'pending')
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows);
  }

  async release(leaseId: string, ids: readonly string[], now: Date): Promise<number> {
    const valid = ids.filter(isUuid);
    if (!isUuid(leaseId) || valid.length === 0) return 0;
    // Due at once, and the claim's attempt taken back: nothing was tried.
    const result = await withTranslatedErrors(
      this.db
        .updateTable('mail_outbox')
        .set((eb) => ({ lease_id: null, next_attempt_at: now, attempts: eb('attempts', '-', 1) }))
        .where('id', 'in', valid)
        .where('lease_id', '=', leaseId)
        .where('status', '=', 'pending')
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows);
  }

  async markDone(id: string, leaseId: string, now: Date): Promise<boolean> {
    return this.#settle(id, leaseId, { status: 'sent', sent_at: now, params: null, sealed_token: null, lease_id: null });
  }

  async markRetry(id: string, leaseId: string, nextAttemptAt: Date, error: string, uncertain = false): Promise<boolean> {
    return this.#settle(id, leaseId, (eb: ExpressionBuilder<Database, 'mail_outbox'>) => ({
      next_attempt_at: nextAttemptAt,
      last_error: error.slice(0, ERROR_MAX_CHARS),
      lease_id: null,
      ...(uncertain ? { uncertain_attempts: eb('uncertain_attempts', '+', 1) } : {}),
    }));
  }

  async markFailed(id: string, leaseId: string, _now: Date, error: string): Promise<boolean> {
    return this.#settle(id, leaseId, { status: 'failed', last_error: error.slice(0, ERROR_MAX_CHARS), sealed_token: null, lease_id: null });
  }

  async pendingCount(): Promise<number> {
    const row = await withTranslatedErrors(
      this.db
        .selectFrom('mail_outbox')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow(),
    );
    return Number(row.count);
  }

  async purgeSettled(before: Date, limit: number): Promise<number> {
    // Through the partial index on created_at of settled rows: a bounded batch, whatever the backlog.
    const result = await withTranslatedErrors(
      this.db
        .deleteFrom('mail_outbox')
        .where(
          atAddresses(this.db.selectFrom('mail_outbox').select(sql`ctid`.as('ctid')).where('status', '<>', 'pending').where('created_at', '<', before).limit(limit)),
        )
        .executeTakeFirst(),
    );
    return Number(result.numDeletedRows);
  }

  async #settle(id: string, leaseId: string, changes: UpdateObject<Database, 'mail_outbox'> | ((eb: ExpressionBuilder<Database, 'mail_outbox'>) => UpdateObject<Database, 'mail_outbox'>)): Promise<boolean> {
    if (!isUuid(id) || !isUuid(leaseId)) return false;
    const result = await withTranslatedErrors(
      this.db
        .updateTable('mail_outbox')
        .set(changes)
        .where('id', '=', id)
        .where('lease_id', '=', leaseId)
        .where('status', '=', 'pending')
        .executeTakeFirst(),
    );
    return result.numUpdatedRows > 0n;
  }
}

function toClaimed(row: Selectable<MailOutboxTable>): ClaimedMail {
  return {
    id: row.id,
    kind: row.kind as OutboxKind,
    to: row.recipient,
    params: row.params === null ? {} : (JSON.parse(row.params) as MailParams),
    sealedToken: row.sealed_token ?? undefined,
    userId: row.user_id ?? undefined,
    createdAt: row.created_at,
    deadline: row.deadline,
    leaseId: row.lease_id!,
    // The claim counted this attempt; the port reports those before it.
    attempts: row.attempts - 1,
    uncertainAttempts: row.uncertain_attempts,
  };
}
