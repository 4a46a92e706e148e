/**
 * How the delivery worker learns that a mail was committed, sooner than its next poll: in process after a
 * commit, and across instances on PostgreSQL (LISTEN/NOTIFY).
 */
export interface MailWakeUp {
  /** Resolves at the next wake-up, or after `timeoutMs`, whichever comes first. */
  wait(timeoutMs: number): Promise<void>;
  /** Wakes every waiter now. */
  wake(): void;
}
