/** What every item a `LeasedQueue` hands out carries, whatever it is (a mail, a webhook delivery). */
export interface LeasedItem {
  readonly id: string;
  /** Names the claim: marks made under another (expired, taken over) lease change nothing. */
  readonly leaseId: string;
  /** Attempts made before this one. */
  readonly attempts: number;
  /** Attempts before this one whose outcome was unknown (see `AttemptOutcome`). */
  readonly uncertainAttempts: number;
  readonly createdAt: Date;
  /** After this the item is not worth delivering: it is marked failed instead of tried again. */
  readonly deadline: Date;
}

/**
 * A durable queue with leases: `claimDue` commits a lease before anything is attempted, so two workers never hold
 * one item at the same time, and a worker that dies leaves its lease to expire. Delivery is at least once; the
 * worker bounds how many times "at least" can be (see `RetryPolicy`).
 */
export interface LeasedQueue<Item extends LeasedItem> {
  /**
   * Leases up to `limit` items due at `now` for `leaseMs`, oldest first, all under one new `leaseId`; each claim
   * counts as an attempt.
   */
  claimDue(now: Date, leaseMs: number, limit: number): Promise<Item[]>;
  /** Moves the lease's end to `until` for the items it still holds; returns how many. */
  renewLease(leaseId: string, until: Date): Promise<number>;
  /** Hands items back unattempted: due again at `now`, their claim not counted as an attempt. */
  release(leaseId: string, ids: readonly string[], now: Date): Promise<number>;
  /** Delivered. */
  markDone(id: string, leaseId: string, now: Date): Promise<boolean>;
  /** Releases the lease; due again at `nextAttemptAt`. `uncertain` counts the attempt as one of unknown outcome. */
  markRetry(id: string, leaseId: string, nextAttemptAt: Date, error: string, uncertain?: boolean): Promise<boolean>;
  /** Given up for good, with its reason. */
  markFailed(id: string, leaseId: string, now: Date, error: string): Promise<boolean>;
}
