import { sql, type Kysely } from 'kysely';

// Migrations see the schema as it was when they were written, not as `Database` says today: hence Kysely<any>.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('mfa_enabled', 'boolean', (col) => col.notNull().defaultTo(false)).execute();
  // Sessions opened before this migration were opened with a password alone.
  await db.schema
    .alterTable('sessions')
    .addColumn('amr', 'text', (col) => col.notNull().defaultTo('pwd').check(sql`amr in ('pwd', 'pwd otp')`))
    .execute();

  await db.schema
    .createTable('totp_factors')
    .addColumn('user_id', 'uuid', (col) => col.primaryKey().references('users.id').onDelete('cascade'))
    // Sealed by the SecretBox (its values start "v1."): a bug that stored the base32 secret in clear fails here.
    .addColumn('secret', 'text', (col) => col.notNull().check(sql`secret like 'v1.%'`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('confirmed_at', 'timestamptz')
    // 30-second steps since 1970 stay below 2^31 until the year 4010.
    .addColumn('last_step', 'integer')
    .execute();

  await db.schema
    .createTable('mfa_recovery_codes')
    .addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (col) => col.notNull().check(sql`char_length(code_hash) = 64`))
    .addColumn('used_at', 'timestamptz')
    .addPrimaryKeyConstraint('mfa_recovery_codes_pkey', ['user_id', 'code_hash'])
    .execute();

  await db.schema
    .createTable('mfa_challenges')
    .addColumn('token_hash', 'text', (col) => col.primaryKey().check(sql`char_length(token_hash) = 64`))
    .addColumn('user_id', 'uuid', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('ip', 'text', (col) => col.notNull().check(sql`char_length(ip) <= 64`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  // The purge's range scan, and the cascade from users.
  await db.schema.createIndex('mfa_challenges_expires_at_idx').on('mfa_challenges').column('expires_at').execute();
  await db.schema.createIndex('mfa_challenges_user_id_idx').on('mfa_challenges').column('user_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mfa_challenges').execute();
  await db.schema.dropTable('mfa_recovery_codes').execute();
  await db.schema.dropTable('totp_factors').execute();
  await db.schema.alterTable('sessions').dropColumn('amr').execute();
  await db.schema.alterTable('users').dropColumn('mfa_enabled').execute();
}
