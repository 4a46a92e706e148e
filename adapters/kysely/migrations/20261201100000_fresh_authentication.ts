import { sql, type Kysely } from 'kysely';

// Migrations see the schema as it was when they were written, not as `Database` says today: hence Kysely<any>.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // When the user last proved a credential in the session (RFC 9470 `auth_time`). A session opened before this
  // migration was last proven when it opened.
  await db.schema.alterTable('sessions').addColumn('auth_time', 'timestamptz').execute();
  await sql`update sessions set auth_time = created_at`.execute(db);
  await db.schema.alterTable('sessions').alterColumn('auth_time', (col) => col.setNotNull()).execute();

  // Consecutive wrong codes across every window (NIST SP 800-63B §5.2.2), kept with the factor they guess at.
  await db.schema
    .alterTable('totp_factors')
    .addColumn('failed_attempts', 'integer', (col) => col.notNull().defaultTo(0).check(sql`failed_attempts >= 0`))
    .execute();

  // An mfa_token answers only while the account keeps the token version it was issued under: a password change,
  // reset or revert moves the version and so kills every pending second step. A pending challenge from before
  // this migration (5 minutes at most) asks for the password again.
  await db.schema.alterTable('mfa_challenges').addColumn('token_version', 'integer', (col) => col.notNull().defaultTo(-1)).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mfa_challenges').dropColumn('token_version').execute();
  await db.schema.alterTable('totp_factors').dropColumn('failed_attempts').execute();
  await db.schema.alterTable('sessions').dropColumn('auth_time').execute();
}
