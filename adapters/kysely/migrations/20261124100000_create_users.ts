import { sql, type Kysely } from 'kysely';

// Migrations see the schema as it was when they were written, not as `Database` says today: hence Kysely<any>.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('username', 'text', (col) => col.notNull())
    .addColumn('hashed_password', 'text', (col) => col.notNull())
    .addColumn('is_active', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('token_version', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    // The repository maps a unique violation to a domain error by these constraint names.
    .addUniqueConstraint('users_email_key', ['email'])
    // Last line of defence behind the domain's Email and Username rules (char_length counts code points, which
    // never exceeds the UTF-16 length the domain checks, so nothing the domain accepts is refused here).
    .addCheckConstraint('users_email_length_check', sql`char_length(email) <= 254`)
    .addCheckConstraint('users_username_length_check', sql`char_length(username) between 3 and 50`)
    .execute();

  // Usernames are ASCII (domain rule), so lower() agrees with the domain's normalization under any collation.
  await db.schema
    .createIndex('users_username_lower_key')
    .on('users')
    .unique()
    .expression(sql`lower(username)`)
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('users').execute();
}
