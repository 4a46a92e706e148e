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
  'two_factor_locked',
  'two_factor_removed',
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** What a template may show: plain strings (the renderer escapes them for HTML). */
export type MailParams = Readonly<Record<string, string>>;

export interface NewOutboxMail {
  readonly id: string;
  readonly kind: MailKind;
  readonly to: string;
  readonly params: MailParams;
  /** The link's token, sealed (see `SecretBox`): a dump of the outbox holds no working link. */
  readonly sealedToken: string | undefined;
  readonly createdAt: Date;
  /**
   * When the mail stops being worth sending (its link expires): until then a failed delivery is retried, after it
   * the mail is marked failed.
   */
  readonly deadline: Date;
}

/** A mail a worker holds the lease of: nobody else sends it until `leaseId` is released or its lease expires. */
export interface ClaimedMail extends NewOutboxMail {
  readonly leaseId: string;
  /** Deliveries tried before this one. */
  readonly attempts: number;
}

/**
 * Mail waiting to be sent, stored in the same transaction as the change that causes it (see `UnitOfWork`), so a
 * committed change always has its mail and a rolled-back one never does.
 *
 * Delivery is at least once: `claimDue` commits a lease before anything is sent, so two workers never hold one
 * mail at the same time; a worker that dies leaves the lease to expire and another claims the mail again. The
 * `leaseId` guards the marks: a worker whose lease was taken over cannot overwrite what the new holder records.
 */
export interface MailOutbox {
  enqueue(mail: NewOutboxMail): Promise<void>;
  /** Leases up to `limit` pending mails due at `now` for `leaseMs`, oldest first. */
  claimDue(now: Date, leaseMs: number, limit: number): Promise<ClaimedMail[]>;
  /** Records the delivery and erases the token and parameters: a sent mail keeps only its envelope. */
  markSent(id: string, leaseId: string, now: Date): Promise<boolean>;
  /** Releases the lease; the mail is due again at `nextAttemptAt`. */
  markRetry(id: string, leaseId: string, nextAttemptAt: Date, error: string): Promise<boolean>;
  /** Gives up on the mail (its link has expired): kept, with its error, and its token erased. */
  markFailed(id: string, leaseId: string, now: Date, error: string): Promise<boolean>;
  /** Mails neither sent nor failed, for the `mail_outbox_pending` gauge. */
  pendingCount(): Promise<number>;
}
