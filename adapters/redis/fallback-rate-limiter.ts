import type { Clock } from '../../application/ports/clock.js';
import type { RateLimitDecision, RateLimiter } from '../../application/ports/rate-limiter.js';
import { ServiceUnavailable } from '../../application/errors.js';

export interface FallbackRateLimiterOptions {
  /**
   * true: while the primary is down, answer from the fallback (each instance then limits on its own, so the
   * shared budget is multiplied by the number of instances). false: refuse with `ServiceUnavailable`.
   */
  readonly failOpen: boolean;
  /** After a failure, the primary is left alone this long, then probed again by a single request. */
  readonly retryAfterMs?: number;
  /** Called once when the primary starts failing, not once per failed request. */
  readonly onPrimaryDown?: (error: unknown) => void;
  /** Called once when the primary answers again after being down. */
  readonly onPrimaryUp?: () => void;
}

/**
 * Uses the primary (shared, Redis) limiter while it answers and the fallback (in-process) one while it does
 * not. While the primary is down, requests do not pay a timeout each: only one probe at a time goes to it,
 * at most once per `retryAfterMs`.
 */
export class FallbackRateLimiter implements RateLimiter {
  #down = false;
  #lastError: unknown;
  #retryAt = 0;
  #probing = false;

  constructor(
    private readonly primary: RateLimiter,
    private readonly fallback: RateLimiter,
    private readonly options: FallbackRateLimiterOptions,
    private readonly clock: Clock,
  ) {}

  consume(key: string): Promise<RateLimitDecision> {
    return this.#run((limiter) => limiter.consume(key));
  }

  peek(key: string): Promise<RateLimitDecision> {
    return this.#run((limiter) => limiter.peek(key));
  }

  reset(key: string): Promise<void> {
    return this.#run((limiter) => limiter.reset(key));
  }

  async #run<T>(operation: (limiter: RateLimiter) => Promise<T>): Promise<T> {
    if (this.#down && (this.#probing || this.clock.now().getTime() < this.#retryAt)) {
      return this.#degraded(operation, this.#lastError);
    }
    const probe = this.#down;
    if (probe) this.#probing = true;
    try {
      const decision = await operation(this.primary);
      // Only the probe brings the primary back: a late answer to a request sent before the failure proves
      // nothing about now.
      if (probe) {
        this.#down = false;
        this.options.onPrimaryUp?.();
      }
      return decision;
    } catch (error) {
      this.#lastError = error;
      this.#retryAt = this.clock.now().getTime() + this.#retryAfterMs;
      if (!this.#down) {
        this.#down = true;
        this.options.onPrimaryDown?.(error);
      }
      return this.#degraded(operation, error);
    } finally {
      if (probe) this.#probing = false;
    }
  }

  get #retryAfterMs(): number {
    return this.options.retryAfterMs ?? 1_000;
  }

  #degraded<T>(operation: (limiter: RateLimiter) => Promise<T>, cause: unknown): Promise<T> {
    if (this.options.failOpen) return operation(this.fallback);
    // onPrimaryDown reported the outage when it began.
    throw new ServiceUnavailable('rate_limiter', Math.ceil(this.#retryAfterMs / 1_000), { cause, reported: true });
  }
}
