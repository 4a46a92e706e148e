import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** The whole schema as Kysely sees it: one entry per table, named as in SQL. */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  one_time_tokens: OneTimeTokensTable;
  mail_outbox: MailOutboxTable;
}

export interface UsersTable {
  /** A UUIDv7 chosen by the domain, not by the database, so a user has its id before it is saved. */
  id: string;
  /** Lower-cased by the domain before it gets here. */
  email: string;
  /** As registered; uniqueness is on lower(username). */
  username: string;
  hashed_password: string;
  is_active: Generated<boolean>;
  is_verified: Generated<boolean>;
  token_version: Generated<number>;
  /** Written once: an update never moves it. */
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: Generated<Date>;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserRowUpdate = Updateable<UsersTable>;

export interface SessionsTable {
  id: string;
  user_id: string;
  token_version: number;
  created_at: ColumnType<Date, Date | undefined, never>;
  last_used_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  user_agent: string | null;
  ip: string | null;
}

export interface RefreshTokensTable {
  token_hash: string;
  session_id: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  used_at: Date | null;
}

export type SessionRow = Selectable<SessionsTable>;

export interface OneTimeTokensTable {
  /** SHA-256 hex of the mailed token. */
  token_hash: string;
  purpose: string;
  user_id: string;
  /** The address the token is bound to. */
  email: string;
  created_at: Date;
  expires_at: Date;
  /** When it was used or voided; a token with one is dead. */
  ended_at: Date | null;
}

export interface MailOutboxTable {
  id: string;
  kind: string;
  recipient: string;
  /** JSON object of strings; emptied once sent. */
  params: string | null;
  /** Sealed under DATA_ENCRYPTION_KEY; erased once sent or failed. */
  sealed_token: string | null;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  /** When the mail is next due; a lease pushes it forward, so an expired lease makes the mail due again. */
  next_attempt_at: Date;
  lease_id: string | null;
  deadline: Date;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}
