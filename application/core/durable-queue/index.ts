/**
 * A durable queue's moving parts, for any feature that delivers something to a receiver that can be slow, refuse
 * or vanish (mail over SMTP, webhooks over HTTP): leased claims, a backoff schedule, outcome classes, aggregated
 * failure reporting and a worker that ties them together.
 */
export { delivered, permanent, transient, unknown, type AttemptOutcome } from './attempt-outcome.js';
export { backoffDelay, type BackoffSchedule } from './backoff.js';
export { FailureStreak, type StreakEnded, type StreakStarted } from './failure-streak.js';
export type { LeasedItem, LeasedQueue } from './leased-queue.js';
export { PaceMeter } from './pace-meter.js';
export { decideAfter, type RetryDecision, type RetryPolicy } from './retry-policy.js';
export {
  LeasedQueueWorker,
  type FailureCause,
  type QueueHandler,
  type QueueObserver,
  type QueueWorkerPolicy,
  type WakeUp,
} from './queue-worker.js';
