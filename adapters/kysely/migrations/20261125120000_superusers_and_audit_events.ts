import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('is_superuser', 'boolean', (col) => col.notNull().defaultTo(false)).execute();
  // The administrators' user search is a prefix of the email or of the username. text_pattern_ops lets
  // `LIKE 'prefix%'` use the index whatever the database's collation.
  await sql`create index users_email_prefix_idx on users (email text_pattern_ops)`.execute(db);
  await sql`create index users_username_prefix_idx on users (lower(username) text_pattern_ops)`.execute(db);

  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('type', 'text', (col) => col.notNull().check(sql`char_length(type) <= 64`))
    .addColumn('at', 'timestamptz', (col) => col.notNull())
    // No foreign keys: the history of a deleted account (its deletion included) outlives the account.
    .addColumn('user_id', 'uuid')
    .addColumn('actor_id', 'uuid')
    .addColumn('ip', 'text', (col) => col.check(sql`char_length(ip) <= 64`))
    .addColumn('user_agent', 'text', (col) => col.check(sql`char_length(user_agent) <= 512`))
    .addColumn('details', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  // A user's own history and the administrators' filters, newest first: each page walks one index.
  await db.schema.createIndex('audit_events_user_id_idx').on('audit_events').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('audit_events_type_idx').on('audit_events').columns(['type', 'id']).execute();
  // The retention purge finds what is due without scanning the table.
  await db.schema.createIndex('audit_events_at_idx').on('audit_events').column('at').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_events').execute();
  await sql`drop index users_username_prefix_idx`.execute(db);
  await sql`drop index users_email_prefix_idx`.execute(db);
  await db.schema.alterTable('users').dropColumn('is_superuser').execute();
}
