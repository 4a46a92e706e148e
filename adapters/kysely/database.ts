import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** The whole schema as Kysely sees it: one entry per table, named as in SQL. */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  audit_events: AuditEventsTable;
  totp_factors: TotpFactorsTable;
  mfa_recovery_codes: MfaRecoveryCodesTable;
  mfa_challenges: MfaChallengesTable;
  one_time_tokens: OneTimeTokensTable;
  mail_outbox: MailOutboxTable;
  passkeys: PasskeysTable;
  webauthn_challenges: WebAuthnChallengesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
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
  is_superuser: Generated<boolean>;
  is_verified: Generated<boolean>;
  token_version: Generated<number>;
  /** Written only with the user's TOTP factor, in the transaction that confirms or removes it. */
  mfa_enabled: Generated<boolean>;
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
  /** RFC 8176 method references, space-separated as OAuth writes a scope: `pwd` or `pwd otp`. */
  amr: Generated<string>;
  /** RFC 9470 `auth_time`: the last proof of a credential in this session; a refresh keeps it. */
  auth_time: Date;
}

export interface RefreshTokensTable {
  token_hash: string;
  session_id: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  used_at: Date | null;
}

export type SessionRow = Selectable<SessionsTable>;

export interface AuditEventsTable {
  /** A UUIDv7, so id order is time order and newest-first pages walk the primary key. */
  id: string;
  type: string;
  at: Date;
  user_id: string | null;
  actor_id: string | null;
  ip: string | null;
  user_agent: string | null;
  details: ColumnType<Record<string, unknown>, string, string>;
}

export type AuditEventRow = Selectable<AuditEventsTable>;

export interface TotpFactorsTable {
  user_id: string;
  /** Sealed by the SecretBox (AES-256-GCM): a dump holds no usable secret. */
  secret: string;
  created_at: Date;
  confirmed_at: Date | null;
  last_step: number | null;
  /** Consecutive wrong codes, across every window; a completed log-in or a reset clears them. */
  failed_attempts: Generated<number>;
}

export interface MfaRecoveryCodesTable {
  user_id: string;
  /** SHA-256 hex of the normalized code. */
  code_hash: string;
  used_at: Date | null;
}

export interface MfaChallengesTable {
  /** SHA-256 hex of the mfa_token. */
  token_hash: string;
  user_id: string;
  ip: string;
  created_at: Date;
  expires_at: Date;
  attempts: number;
  /** The account's token version at the password step: a password change since kills the challenge. */
  token_version: Generated<number>;
}

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
  /** Attempts whose outcome was unknown (no reply after DATA): bounded by MAIL_MAX_UNCERTAIN_RETRIES. */
  uncertain_attempts: Generated<number>;
  /** The account the mail is about, for the `mail.failed` audit event. */
  user_id: string | null;
}

export interface PasskeysTable {
  credential_id: string;
  user_id: string;
  public_key: Uint8Array;
  /** bigint: the driver reads it as a string. */
  counter: ColumnType<string, number, number>;
  /** AuthenticatorTransport values, space-separated. */
  transports: string;
  device_type: string;
  backed_up: boolean;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
}

export interface WebAuthnChallengesTable {
  challenge: string;
  ceremony: string;
  user_id: string | null;
  created_at: Date;
  expires_at: Date;
}

export interface WebhookEndpointsTable {
  id: string;
  url: string;
  /** JSON array of audit event types, or `["*"]`. */
  events: ColumnType<string[], string, string>;
  description: string;
  enabled: boolean;
  /** Sealed with the SecretBox (DATA_ENCRYPTION_KEY): the service signs with it, so it cannot be hashed. */
  sealed_secret: string;
  sealed_previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  failing_since: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface WebhookDeliveriesTable {
  /** A UUIDv7: the `webhook-id` of every attempt, and the keyset of the deliveries list. */
  id: string;
  endpoint_id: string;
  event_id: string;
  type: string;
  payload: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  uncertain_attempts: number;
  last_response_code: number | null;
  last_error: string | null;
  next_attempt_at: Date;
  lease_id: string | null;
  deadline: Date;
  created_at: Date;
  settled_at: Date | null;
}
