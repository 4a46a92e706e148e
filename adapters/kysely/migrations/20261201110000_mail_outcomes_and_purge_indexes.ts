import { sql, type Kysely } from 'kysely';

/**
 * Mail delivery outcomes and the housekeeping purges. `uncertain_attempts` counts attempts whose outcome was
 * unknown (no reply after DATA), which are re-sent at most MAIL_MAX_UNCERTAIN_RETRIES times; `user_id` names the
 * account a given-up mail is about, for its `mail.failed` audit event (no foreign key: the mail outlives nothing
 * it needs, and deleting a user should not wait on the outbox). The indexes let every purge take a bounded batch
 * through an index rather than read a table whole: one-time tokens by `expires_at` and `ended_at`, settled mail
 * by `created_at` (a partial index: the pending rows the worker polls stay out of it).
 */
// Migrations see the schema as it was when they were written, not as `Database` says today: hence Kysely<any>.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('mail_outbox')
    .addColumn('uncertain_attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('user_id', 'uuid')
    .execute();
  await db.schema
    .createIndex('mail_outbox_settled_created_at_idx')
    .on('mail_outbox')
    .column('created_at')
    .where(sql.ref('status'), '<>', 'pending')
    .execute();
  await db.schema.createIndex('one_time_tokens_expires_at_idx').on('one_time_tokens').column('expires_at').execute();
  await db.schema
    .createIndex('one_time_tokens_ended_at_idx')
    .on('one_time_tokens')
    .column('ended_at')
    .where(sql.ref('ended_at'), 'is not', null)
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('one_time_tokens_ended_at_idx').execute();
  await db.schema.dropIndex('one_time_tokens_expires_at_idx').execute();
  await db.schema.dropIndex('mail_outbox_settled_created_at_idx').execute();
  await db.schema.alterTable('mail_outbox').dropColumn('user_id').dropColumn('uncertain_attempts').execute();
}
