/**
 * What one delivery attempt came to, as the adapter that made it classifies it (SMTP reply codes, HTTP statuses).
 * The queue decides from this alone; no adapter's error text or exception type leaks into that decision.
 */
export type AttemptOutcome =
  /** The receiver took it (SMTP 2xx to the final dot, HTTP 2xx). */
  | { readonly kind: 'delivered' }
  /** The receiver refused it for good (SMTP 5xx): retrying only costs the sender its standing. */
  | { readonly kind: 'permanent'; readonly reason: string }
  /** Not delivered, and nothing was handed over that could have been (SMTP 4xx, a refused or dropped connection). */
  | { readonly kind: 'transient'; readonly reason: string }
  /**
   * The payload went out and no final answer came (timed out or dropped after SMTP DATA): the receiver may well
   * have it. Re-sending at once is how one slow relay turned 3 mails into 9 deliveries.
   */
  | { readonly kind: 'unknown'; readonly reason: string };

export const delivered: AttemptOutcome = Object.freeze({ kind: 'delivered' });

export function permanent(reason: string): AttemptOutcome {
  return { kind: 'permanent', reason };
}

export function transient(reason: string): AttemptOutcome {
  return { kind: 'transient', reason };
}

export function unknown(reason: string): AttemptOutcome {
  return { kind: 'unknown', reason };
}
