import type { AttemptOutcome } from './attempt-outcome.js';
import { backoffDelay, type BackoffSchedule } from './backoff.js';
import type { LeasedItem } from './leased-queue.js';

/** Plain settings, not a port: nothing implements it. */
export type RetryPolicy = {
  /** Transient failures (a 4xx, a refused connection) wait this schedule between tries. */
  readonly backoff: BackoffSchedule;
  /** After an attempt of unknown outcome: how long before it is tried again. */
  readonly uncertainRetryDelayMs: number;
  /**
   * Attempts of unknown outcome tried again at most this many times, after which the item is failed: the receiver
   * may hold it already, so an item is delivered at most `1 + maxUncertainRetries` times.
   */
  readonly maxUncertainRetries: number;
};

export type RetryDecision =
  | { readonly kind: 'done' }
  | { readonly kind: 'fail'; readonly reason: string; readonly cause: 'permanent' | 'expired' | 'uncertain' }
  | { readonly kind: 'retry'; readonly at: Date; readonly reason: string; readonly uncertain: boolean };

/** What to do with `item` after an attempt at `now` came to `outcome`. */
export function decideAfter(outcome: AttemptOutcome, item: LeasedItem, now: Date, policy: RetryPolicy): RetryDecision {
  switch (outcome.kind) {
    case 'delivered':
      return { kind: 'done' };
    case 'permanent':
      return { kind: 'fail', reason: outcome.reason, cause: 'permanent' };
    case 'transient':
      if (now >= item.deadline) return { kind: 'fail', reason: `expired; last error: ${outcome.reason}`, cause: 'expired' };
      return { kind: 'retry', at: new Date(now.getTime() + backoffDelay(policy.backoff, item.attempts)), reason: outcome.reason, uncertain: false };
    case 'unknown':
      if (item.uncertainAttempts >= policy.maxUncertainRetries) {
        return {
          kind: 'fail',
          reason: `outcome unknown after ${item.uncertainAttempts + 1} attempt(s), not sent again (it may have been delivered): ${outcome.reason}`,
          cause: 'uncertain',
        };
      }
      if (now >= item.deadline) return { kind: 'fail', reason: `expired; last attempt's outcome unknown: ${outcome.reason}`, cause: 'expired' };
      return { kind: 'retry', at: new Date(now.getTime() + policy.uncertainRetryDelayMs), reason: outcome.reason, uncertain: true };
  }
}
