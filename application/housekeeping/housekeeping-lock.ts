/**
 * Lets one instance at a time run a housekeeping round. Two instances purging at once cut each other's batches
 * short (each sees fewer rows than it asked for and stops: 267,000 of 500,000 audit events deleted, the rest left
 * for an hour) and double the load for nothing.
 */
export interface HousekeepingLock {
  /** Runs `work` if no other instance holds the lock; `ran: false` at once otherwise (never waits). */
  runExclusive<T>(work: () => Promise<T>): Promise<{ readonly ran: true; readonly value: T } | { readonly ran: false }>;
}
