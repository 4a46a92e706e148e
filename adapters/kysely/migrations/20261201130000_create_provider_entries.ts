import { sql, type Kysely } from 'kysely';

// Migrations see the schema as it was when they were written, not as `Database` says today: hence Kysely<any>.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Everything the OpenID Provider keeps (clients, grants, sessions, interactions, codes, tokens, its keys), one
  // JSON document per (model, id), as oidc-provider's adapter interface addresses them.
  await db.schema
    .createTable('provider_entries')
    .addColumn('model', 'text', (col) => col.notNull().check(sql`char_length(model) <= 64`))
    .addColumn('id', 'text', (col) => col.notNull().check(sql`char_length(id) <= 255`))
    .addColumn('payload', 'jsonb', (col) => col.notNull())
    .addColumn('grant_id', 'text')
    .addColumn('uid', 'text')
    .addColumn('user_code', 'text')
    // The client a code, token or grant was issued to: they end with it.
    .addColumn('client_id', 'text')
    // An account's entries go with it, and with a password reset (`destroyByAccount`).
    .addColumn('account_id', 'uuid', (col) => col.references('users.id').onDelete('cascade'))
    .addColumn('expires_at', 'timestamptz')
    .addColumn('consumed_at', 'timestamptz')
    .addPrimaryKeyConstraint('provider_entries_pkey', ['model', 'id'])
    .execute();
  // Partial: most rows have no uid or user code, and client-credentials tokens no grant or account.
  await db.schema.createIndex('provider_entries_grant_id_idx').on('provider_entries').column('grant_id').where(sql.ref('grant_id'), 'is not', null).execute();
  await db.schema.createIndex('provider_entries_uid_idx').on('provider_entries').columns(['model', 'uid']).where(sql.ref('uid'), 'is not', null).execute();
  await db.schema.createIndex('provider_entries_user_code_idx').on('provider_entries').columns(['model', 'user_code']).where(sql.ref('user_code'), 'is not', null).execute();
  await db.schema.createIndex('provider_entries_account_id_idx').on('provider_entries').column('account_id').where(sql.ref('account_id'), 'is not', null).execute();
  await db.schema.createIndex('provider_entries_client_id_idx').on('provider_entries').column('client_id').where(sql.ref('client_id'), 'is not', null).execute();
  await db.schema.createIndex('provider_entries_expires_at_idx').on('provider_entries').column('expires_at').where(sql.ref('expires_at'), 'is not', null).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('provider_entries').execute();
}
