import { sql, type Kysely } from 'kysely';

// Migrations see the schema as it was when they were written, not as `Database` says today: hence Kysely<any>.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('passkeys')
    // base64url of at most 1023 bytes (WebAuthn §5.1 credential id limit).
    .addColumn('credential_id', 'text', (col) => col.primaryKey().check(sql`char_length(credential_id) between 1 and 1364`))
    .addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('public_key', 'bytea', (col) => col.notNull())
    // The signature counter is an unsigned 32-bit number (WebAuthn §6.1).
    .addColumn('counter', 'bigint', (col) => col.notNull().check(sql`counter between 0 and 4294967295`))
    .addColumn('transports', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('device_type', 'text', (col) => col.notNull().check(sql`device_type in ('singleDevice', 'multiDevice')`))
    .addColumn('backed_up', 'boolean', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull().check(sql`char_length(name) between 1 and 100`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('last_used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('passkeys_user_id_idx').on('passkeys').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('webauthn_challenges')
    .addColumn('challenge', 'text', (col) => col.primaryKey().check(sql`char_length(challenge) between 16 and 128`))
    .addColumn('ceremony', 'text', (col) => col.notNull().check(sql`ceremony in ('registration', 'authentication')`))
    // Registration only: a log-in names no account.
    .addColumn('user_id', 'uuid', (col) => col.references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .execute();
  // The purge's range scan, and the cascade from users.
  await db.schema.createIndex('webauthn_challenges_expires_at_idx').on('webauthn_challenges').column('expires_at').execute();
  await db.schema.createIndex('webauthn_challenges_user_id_idx').on('webauthn_challenges').column('user_id').execute();

  // A passkey log-in's methods (RFC 8176): the session column takes them too.
  await sql`alter table sessions drop constraint sessions_amr_check`.execute(db);
  await sql`alter table sessions add constraint sessions_amr_check check (amr in ('pwd', 'pwd otp', 'hwk user mfa', 'swk user mfa'))`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from sessions where amr not in ('pwd', 'pwd otp')`.execute(db);
  await sql`alter table sessions drop constraint sessions_amr_check`.execute(db);
  await sql`alter table sessions add constraint sessions_amr_check check (amr in ('pwd', 'pwd otp'))`.execute(db);
  await db.schema.dropTable('webauthn_challenges').execute();
  await db.schema.dropTable('passkeys').execute();
}
