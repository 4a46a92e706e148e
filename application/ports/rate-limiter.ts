export interface RateLimitDecision {
  readonly allowed: boolean;
  /** The budget of one window. */
  readonly limit: number;
  /** Requests left in the current window after this one. */
  readonly remaining: number;
  /** Milliseconds until the window resets and the budget is whole again. */
  readonly resetMs: number;
}

/**
 * Counts events per key and decides, in one atomic step, whether one more is allowed. Every call counts,
 * allowed or not, so a client that keeps hammering stays limited.
 */
export interface RateLimiter {
  consume(key: string): Promise<RateLimitDecision>;
  /** Where the key stands, without counting this call: `allowed` says whether one more would be. */
  peek(key: string): Promise<RateLimitDecision>;
  /** Forgets the key's count in the current window (a successful log-in clears its failures). */
  reset(key: string): Promise<void>;
}
