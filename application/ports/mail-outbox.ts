import type { LeasedItem, LeasedQueue } from '../core/durable-queue/index.js';

/** The mails the service sends, each rendered from a template of the same name. */
export const MAIL_KINDS = [
  'verify_email',
  'confirm_email_change',
  'reset_password',
  'email_changed',
  'password_changed',
  'registration_attempt',
  'two_factor_disabled',
  'recovery_code_used',
  'passkey_added',
  'passkey_removed',
  'two_factor_locked',
  'two_factor_removed',
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/**
 * A request for a link (forgot-password, request-verify-token) kept as it came, before anyone looked the address up:
 * the route stores one of these for any address, so a known and an unknown address cost the route the same. The
 * request worker (`ResolveMailRequest`) resolves it later: it looks the account up and queues the mail, or nothing.
 * Requests travel through the outbox (durable, leased, woken, purged like mail) but are never rendered or sent.
 */
export const MAIL_REQUEST_KINDS = ['password_reset_request', 'verification_request'] as const;
export type MailRequestKind = (typeof MAIL_REQUEST_KINDS)[number];
/** What an outbox row is: a mail to send, or a request to resolve. */
export type OutboxKind = MailKind | MailRequestKind;

export function isMailRequestKind(kind: OutboxKind): kind is MailRequestKind {
  return (MAIL_REQUEST_KINDS as readonly string[]).includes(kind);
}

/** Which rows `claimDue` hands out: mail for the delivery worker, requests for the request worker. */
export type OutboxLane = 'mail' | 'requests';

/** What a template may show: plain strings (the renderer escapes them for HTML). */
export type MailParams = Readonly<Record<string, string>>;

export interface NewOutboxMail {
  readonly id: string;
  readonly kind: OutboxKind;
  readonly to: string;
  readonly params: MailParams;
  /** The link's token, sealed (see `SecretBox`): a dump of the outbox holds no working link. */
  readonly sealedToken: string | undefined;
  /** The account the mail is about, for the `mail.failed` audit event; undefined when none is known. */
  readonly userId?: string | undefined;
  readonly createdAt: Date;
  /**
   * When the mail stops being worth sending (its link expires): until then a failed delivery is retried, after it
   * the mail is marked failed.
   */
  readonly deadline: Date;
}

/** A mail a worker holds the lease of: nobody else sends it until `leaseId` is released or its lease expires. */
export interface ClaimedMail extends NewOutboxMail, LeasedItem {}

/**
 * Mail waiting to be sent, stored in the same transaction as the change that causes it (see `UnitOfWork`), so a
 * committed change always has its mail and a rolled-back one never does.
 *
 * Delivery is at least once: `claimDue` commits a lease before anything is sent, so two workers never hold one
 * mail at the same time; a worker that dies leaves the lease to expire and another claims the mail again. The
 * `leaseId` guards the marks: a worker whose lease was taken over cannot overwrite what the new holder records.
 * `markDone` erases the token and parameters (a sent mail keeps only its envelope); `markFailed` erases the token.
 */
export interface MailOutbox extends LeasedQueue<ClaimedMail> {
  enqueue(mail: NewOutboxMail): Promise<void>;
  /** As `LeasedQueue.claimDue`, over one lane only: mail (the default) or requests (see `MAIL_REQUEST_KINDS`). */
  claimDue(now: Date, leaseMs: number, limit: number, lane?: OutboxLane): Promise<ClaimedMail[]>;
  /** Mails neither sent nor failed, for the `mail_outbox_pending` gauge (requests not yet resolved included). */
  pendingCount(): Promise<number>;
  /** Deletes up to `limit` sent or failed mails queued before `before` (MAIL_RETENTION_DAYS); returns how many. */
  purgeSettled(before: Date, limit: number): Promise<number>;
}
